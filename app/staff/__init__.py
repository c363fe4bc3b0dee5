"""Staff accounts (password + TOTP), their departments, and the service catalogue."""
