"""Licences held by legal entities: the type catalogue, status and its history, public status checks."""
