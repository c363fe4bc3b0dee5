"""Alembic, driven from code so no ini file is needed: ``flask migrate``."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

ROOT = Path(__file__).resolve().parent.parent


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    return cfg


def upgrade(target: str = "heads") -> None:
    # Each capability keeps its own branch of migrations, so "heads" upgrades all of them.
    command.upgrade(alembic_config(), target)
