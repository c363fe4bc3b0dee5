"""Alembic, driven from code so no ini file is needed: ``flask migrate``."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.exc import OperationalError

ROOT = Path(__file__).resolve().parent.parent


class DatabaseUnreachable(RuntimeError):
    """The database to migrate cannot be reached or does not exist; the message is one line."""


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    return cfg


def upgrade(target: str = "heads") -> None:
    # Each capability keeps its own branch of migrations, so "heads" upgrades all of them.
    try:
        command.upgrade(alembic_config(), target)
    except OperationalError as error:
        raise DatabaseUnreachable(_explain(error)) from error


def _explain(error: OperationalError) -> str:
    from app.db import get_engine

    url = get_engine().url
    cause = (str(error.orig).strip().splitlines() or [type(error.orig).__name__])[0]
    if url.get_backend_name() == "postgresql" and "does not exist" in cause:
        return (f"数据库 {url.database} 不存在，请先创建：createdb -h {url.host or '127.0.0.1'} "
                f"-p {url.port or 5432} -U {url.username or 'postgres'} {url.database} ({cause})")
    return f"无法连接数据库 {url.render_as_string(hide_password=True)} ({cause})"
