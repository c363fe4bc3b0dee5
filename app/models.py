"""Every model module, imported so the metadata is complete (Alembic, tests, seeders)."""

from app.system import heartbeat  # noqa: F401
