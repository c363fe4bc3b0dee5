"""Where a hot read's server CPU goes: `/me`, the inbox, an entity's licence list and the cached public
check over a raw WSGI loop.

``python -m bench profile [--label before|after]`` (``make bench ARGS=profile``). In one process, on
a fresh instance (SQLite, or PostgreSQL with ``DATABASE_URL``; Redis from ``REDIS_URL`` or the
embedded one), the app's WSGI callable is called directly with a prepared environ, so no HTTP
server, client or socket is measured. The per-address rate limit is on, as in production.

Per endpoint it reports: worker CPU per request (``time.process_time`` over the loop, no
profiler; for the reads answered from ``app.readcache`` also on a miss, the owner invalidated
before each request, untimed), the SQL statements and Redis round trips one request makes (a hit),
and from a cProfile run the
inclusive CPU of each part (parts nest: the session check contains its SQL and Redis), as µs per
request and as a share of the profiled request.
"""

from __future__ import annotations

import cProfile
import io
import itertools
import os
import platform
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.results import write_section

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = int(os.environ.get("BENCH_PROFILE_REQUESTS", "2000"))

# (label, file suffix, function name): inclusive times summed over matching functions.
PARTS = [
    ("session check (`authenticate`, incl. its SQL and Redis)", "app/identity/sessions.py", "authenticate"),
    ("JWT verification (`SigningKeyRing.verify`)", "app/security/signing.py", "verify"),
    ("SQL (ORM execute incl. driver round trips)", "sqlalchemy/orm/session.py", "_execute_internal"),
    ("Redis round trips (limits, caches)", "app/redis_store.py", "exchange"),
    ("Redis round trips (limits, caches)", "redis/client.py", "execute"),
    ("Redis single commands", "redis/client.py", "execute_command"),
    ("rate limit (`ratelimit.hit` / `with_limits`)", "app/ratelimit.py", "hit"),
    ("rate limit (`ratelimit.hit` / `with_limits`)", "app/ratelimit.py", "with_limits"),
    ("transaction use case (`transactional`)", "app/db.py", "wrapper"),
    ("session close (`remove_session`: rollback, pool return)", "app/db.py", "remove_session"),
    ("response body (marshmallow dump)", "marshmallow/schema.py", "dump"),
    ("cached answer (`readcache` lookup and response)", "api/blueprint.py", "_cached_answer"),
]


def _environ(path: str, headers: dict[str, str]) -> dict:
    from werkzeug.test import EnvironBuilder

    builder = EnvironBuilder(path=path, headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    try:
        return builder.get_environ()
    finally:
        builder.close()


# Each call from another client address, as in the wrk bench: the public check's own per-address
# limit (300 a minute) would otherwise answer 429 from the 301st call on, and that is what was timed.
_ADDRESSES = (f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}" for i in itertools.count(1))


def _call(app, environ: dict) -> int:
    status: list[str] = []
    body = app({**environ, "REMOTE_ADDR": next(_ADDRESSES)}, lambda s, _h, _e=None: status.append(s))
    for _chunk in body:
        pass
    if hasattr(body, "close"):
        body.close()
    return int(status[0].split()[0])


def _parts(profile: cProfile.Profile, calls: int) -> tuple[float, list[tuple[str, float]]]:
    stats = pstats.Stats(profile, stream=io.StringIO())
    total = sum(tt for (_f, _l, _n), (_cc, _nc, tt, _ct, _callers) in stats.stats.items())  # type: ignore[attr-defined]
    found: dict[str, float] = {}
    for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        for label, suffix, function in PARTS:
            if name == function and filename.endswith(suffix):
                found[label] = found.get(label, 0.0) + ct
    return total / calls, [(label, found.get(label, 0.0) / calls) for label in dict.fromkeys(p[0] for p in PARTS)]


def main(args: list[str]) -> None:
    label = args[args.index("--label") + 1] if "--label" in args else "after"
    instance = Path(tempfile.mkdtemp(prefix="yss-prof-", dir="/tmp"))
    os.environ.update(YSS_INSTANCE_PATH=str(instance), RATE_LIMIT_PER_MINUTE="100000000", LOG_LEVEL="WARNING")
    sys.path.insert(0, str(ROOT))
    from app.migrate import upgrade
    from app.redis_store import stop_embedded_redis

    try:
        upgrade()
        from bench import fixtures

        data = fixtures.create()
        from api import create_app

        app = create_app().wsgi_app
        auth = {"Authorization": f"Bearer {data.token}"}
        from app import readcache
        from app.licences.models import licences_owner
        from app.push.inbox import inbox_owner

        cases = [("GET /healthz", "/healthz", {}, None), ("GET /api/v1/me", "/api/v1/me", auth, None),
                 ("GET /api/v1/me/notifications", "/api/v1/me/notifications", auth, inbox_owner(data.account_id)),
                 ("GET /api/v1/entities/<uscc>/licences", f"/api/v1/entities/{data.uscc}/licences", auth,
                  licences_owner(data.uscc)),
                 ("GET /api/v1/licences/check (cached)", f"/api/v1/licences/check?number={data.licence_number}", {},
                  None)]
        lines = [f"### Profile `{label}` ({_store()})", "",
                 f"`make bench ARGS=\"profile --label {label}\"` — {REQUESTS} calls of the WSGI app per request, "
                 f"in one process; {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
                 f"load average {os.getloadavg()[0]:.1f} at the start.", ""]
        for title, path, headers, owner in cases:
            environ = _environ(path, headers)
            for _ in range(min(200, REQUESTS)):  # warm-up: caches, pools, lazy imports
                assert _call(app, environ) == 200, path
            miss = ""
            if owner is not None:
                spent = 0.0
                for _ in range(REQUESTS):
                    readcache.invalidate([owner])
                    started = time.process_time()
                    _call(app, environ)
                    spent += time.process_time() - started
                miss = f" ({spent * 1000 / REQUESTS:.3f} ms on a cache miss)"
            started, statuses = time.process_time(), set()
            for _ in range(REQUESTS):
                statuses.add(_call(app, environ))
            cpu_ms = (time.process_time() - started) * 1000 / REQUESTS
            assert statuses == {200}, (path, statuses)  # what was timed is the answer, not a refusal
            sql, in_tx, trips, commands = _round_trips(app, environ)
            profile = cProfile.Profile(time.process_time)
            profile.enable()
            for _ in range(REQUESTS):
                _call(app, environ)
            profile.disable()
            total, parts = _parts(profile, REQUESTS)
            lines += [f"**{title}**: {cpu_ms:.3f} ms worker CPU per request{miss}; {sql} SQL statements "
                      f"({in_tx} inside a transaction), {trips} Redis round trips ({commands} commands).", "",
                      "| part (inclusive; parts nest) | CPU µs per request under the profiler | share |",
                      "|---|---:|---:|",
                      f"| whole request (profiled) | {total * 1e6:.0f} | 100% |"]
            lines += [f"| {name} | {t * 1e6:.0f} | {t / total:.1%} |" for name, t in parts if t]
            lines.append("")
    finally:
        if not os.environ.get("REDIS_URL"):
            stop_embedded_redis(instance)
        shutil.rmtree(instance, ignore_errors=True)
    text = "\n".join(lines)
    write_section(f"profile-{label}-{'pg' if os.environ.get('DATABASE_URL') else 'sqlite'}", text)
    print(text)


def _round_trips(app, environ: dict) -> tuple[int, int, int, int]:
    from tests.support.roundtrips import counting

    with counting() as trips:
        _call(app, environ)
    return len(trips.sql), trips.sql_in_transaction, len(trips.redis), trips.redis_commands


def _store() -> str:
    return "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
