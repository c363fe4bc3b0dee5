"""The README's PostgreSQL steps, run as written on a fresh, uniquely named database that is then
dropped: before the database exists `flask migrate` says so in one line; after createdb it migrates
and seeds."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
from pathlib import Path

import psycopg

from app.redis_store import stop_embedded_redis

ROOT = Path(__file__).resolve().parents[2]
SERVER = "postgresql://postgres@127.0.0.1:5432"  # the README's server


def readme_postgresql_steps() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Running against PostgreSQL and Redis", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the PostgreSQL section has no sh block"
    return [line.split("#", 1)[0].strip() for line in block.group(1).splitlines() if line.strip()]


def run(script: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # The hang guard only: migrating and seeding a fresh database takes seconds.
    return subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)


def test_the_readme_postgresql_steps_work_on_a_fresh_database(tmp_path):
    name = f"yss_readme_{secrets.token_hex(4)}"
    steps = readme_postgresql_steps()
    assert steps[-1].startswith("make run")  # the servers: not started here
    steps = [re.sub(r"(5432/| )yss$", rf"\g<1>{name}", step) for step in steps[:-1]]
    assert any(step.startswith("createdb") and step.endswith(name) for step in steps), steps
    if not os.environ.get("YSS_ADMIN_DATABASE_URL"):  # the embedded run: Redis stays embedded too
        steps = [s for s in steps if not s.startswith("export REDIS_URL=")]
    elif os.environ.get("REDIS_URL"):  # this worker's own Redis database, not the README's 0
        steps = [f"export REDIS_URL={os.environ['REDIS_URL']}" if s.startswith("export REDIS_URL=") else s
                 for s in steps]
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "YSS_ADMIN_DATABASE_URL", "YSS_ENV"}}
    env.update(YSS_INSTANCE_PATH=str(tmp_path), YSS_ENV="development", PATH=f"{ROOT / '.venv/bin'}:{env['PATH']}")
    createdb, exports, flask = steps[0], [s for s in steps if s.startswith("export")], steps[-2:]
    try:
        missing = run("\n".join([*exports, "flask migrate"]), env)
        assert missing.returncode == 1
        errors = [line for line in missing.stderr.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1 and f"数据库 {name} 不存在" in errors[0] and "createdb" in errors[0], missing.stderr
        assert "Traceback" not in missing.stderr

        done = run("\n".join([createdb, *exports, *flask]), env)
        assert done.returncode == 0, done.stderr
        assert "database is up to date" in done.stdout
        with psycopg.connect(f"{SERVER}/{name}") as conn:
            staff = {row[0] for row in conn.execute("SELECT username FROM staff_members")}
            assert {"demo.agent", "demo.supervisor", "demo.admin"} <= staff
            assert conn.execute("SELECT count(*) FROM alembic_version").fetchone()[0] >= 1
    finally:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        stop_embedded_redis(tmp_path)
