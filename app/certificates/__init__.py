"""E-certificates: the type catalogue, the wallet, showing (亮证) and verification."""
