"""Licences held by legal entities: the type catalogue, status and its history, public status checks."""

from app.licences import public_check  # noqa: F401  (forgets cached answers when entities rename)
