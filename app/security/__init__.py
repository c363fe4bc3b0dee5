"""Keys, token signing, field encryption, passwords and TOTP."""
