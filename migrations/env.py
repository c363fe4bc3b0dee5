"""Alembic environment: the app's engine and the complete model metadata."""

from __future__ import annotations

from alembic import context

import app.models  # noqa: F401  (registers every table)
from app.db import Base, get_engine

target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = get_engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
