"""API worker memory: RSS and PSS of each gunicorn worker at boot and after 20,000 mixed requests.

``python -m bench memory`` (``make bench ARGS=memory``). gunicorn as `make run` starts it (2 workers ×
4 threads) on a fresh instance; RSS and PSS come from ``/proc/<pid>/smaps_rollup`` (PSS shares the
pages a worker has in common with the master and its sibling fairly, so it is what a worker adds).
The requests cycle through the hot reads, the public check (hits and misses), the JWKS, status and
refused ones (no token, a bad token, a 404), from 4 client threads with keep-alive.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path

import requests

from bench.api_requests import PORT, ROOT, _gunicorn, _wait_ready, shutdown
from bench.results import write_section

REQUESTS = int(os.environ.get("BENCH_MEMORY_REQUESTS", "20000"))
THREADS = 4


def _memory(pid: int) -> tuple[float, float]:
    """(RSS, PSS) in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        values[name.strip()] = int(rest.split()[0])
    return values["Rss"] / 1024, values["Pss"] / 1024


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def main(_args: list[str]) -> None:
    instance = Path(tempfile.mkdtemp(prefix="yss-mem-", dir="/tmp"))
    env = {**os.environ, "YSS_INSTANCE_PATH": str(instance), "LOG_LEVEL": "WARNING", "TRUSTED_PROXIES": "1"}
    env.pop("RATE_LIMIT_PER_MINUTE", None)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    from app.migrate import upgrade
    from app.redis_store import redis_url
    from bench import fixtures

    upgrade()
    env["REDIS_URL"] = os.environ.get("REDIS_URL") or redis_url()
    data = fixtures.create()
    server = _gunicorn("wsgi:app", PORT, env)
    base = f"http://127.0.0.1:{PORT}"
    auth = {"Authorization": f"Bearer {data.token}"}
    mix = [("/api/v1/me", auth), ("/api/v1/me/notifications", auth), ("/api/v1/me/notifications/unread-count", auth),
           (f"/api/v1/entities/{data.uscc}/licences", auth),
           (f"/api/v1/licences/check?number={data.licence_number}", {}),
           ("/api/v1/licences/check?number=NO-SUCH-{n}", {}), ("/api/v1/auth/jwks", {}), ("/api/v1/status", {}),
           ("/healthz", {}), ("/api/v1/me", {}), ("/api/v1/me", {"Authorization": "Bearer not-a-token"}),
           ("/api/v1/entities/91440101MA5NOSUCH0/licences", auth)]
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def client(thread: int) -> None:
        with requests.Session() as http:
            for n in range(thread, REQUESTS, THREADS):
                path, headers = mix[n % len(mix)]
                forwarded = {"X-Forwarded-For": f"10.{n % 251}.{n // 251 % 251}.{thread + 1}"}
                answer = http.get(base + path.format(n=n), headers={**headers, **forwarded}, timeout=30)
                with lock:
                    statuses[answer.status_code] += 1

    try:
        _wait_ready(f"{base}/healthz")
        workers = _workers(server.pid)
        boot = {pid: _memory(pid) for pid in workers}
        threads = [threading.Thread(target=client, args=(t,)) for t in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        after = {pid: _memory(pid) for pid in workers}
    finally:
        shutdown([server], instance)
    store = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    lines = [f"## API worker memory ({store})", "",
             f"`make bench ARGS=memory` — gunicorn 2 workers × 4 threads; {sum(statuses.values()):,} mixed requests "
             f"from {THREADS} keep-alive clients (answers: "
             f"{', '.join(f'{code}: {count:,}' for code, count in sorted(statuses.items()))}); "
             f"{platform.machine()}, Python {platform.python_version()}. MB from /proc/<pid>/smaps_rollup.", "",
             "| worker | RSS at boot | PSS at boot | RSS after | PSS after |", "|---|---:|---:|---:|---:|"]
    for i, pid in enumerate(workers, 1):
        lines.append(f"| {i} | {boot[pid][0]:.1f} | {boot[pid][1]:.1f} | {after[pid][0]:.1f} | {after[pid][1]:.1f} |")
    lines += ["", f"Largest worker RSS after the requests: **{max(a[0] for a in after.values()):.1f} MB**."]
    write_section(f"memory-{'pg' if os.environ.get('DATABASE_URL') else 'sqlite'}", "\n".join(lines))
    print("\n".join(lines))
