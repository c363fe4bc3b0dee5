"""Keys, token signing, field encryption, masking, passwords and TOTP."""
