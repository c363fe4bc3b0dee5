"""Commands behind ``flask ...``: migrate, seed, worker. Plain click, no Flask imports."""

from __future__ import annotations

import os
import sys

import click

# Modules with a ``seed() -> None`` that loads idempotent demo data, in order.
SEEDERS: tuple[str, ...] = ()


def register_commands(group: click.Group) -> None:
    for command in (migrate, seed, worker):
        group.add_command(command)


@click.command()
def migrate() -> None:
    """Bring the database schema up to date."""
    from app.migrate import upgrade

    upgrade()
    click.echo("database is up to date")


def seed_demo_data() -> None:
    import importlib

    for name in SEEDERS:
        importlib.import_module(name).seed()


@click.command()
def seed() -> None:
    """Load demo data (safe to run again)."""
    seed_demo_data()
    click.echo("demo data is loaded")


@click.command()
@click.option("--processes", default=1, show_default=True)
@click.option("--threads", default=4, show_default=True)
def worker(processes: int, threads: int) -> None:
    """Run background job workers (Dramatiq)."""
    argv = [sys.executable, "-m", "dramatiq", "app.worker",
            "--processes", str(processes), "--threads", str(threads)]
    os.execv(sys.executable, argv)
