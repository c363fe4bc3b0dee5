"""API request throughput: authenticated resident reads against the same stack's /healthz.

Starts gunicorn (as `make run` does) on a fresh instance, creates an L3 resident, and drives
each endpoint with wrk from a second process on loopback. The baseline (/healthz) is the same
server, workers and middleware answering without touching a store, so the ratios show what auth,
the session check and the database add.

On a small shared machine one wrk run is noisy, so the cases run in interleaved rounds (baseline,
then each endpoint, again and again): each round's ratio is taken against that round's own baseline,
and the table gives the median over rounds with the lowest and highest ratio seen.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

import requests

from bench.results import write_section

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765
DURATION = os.environ.get("BENCH_DURATION", "5s")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "4")  # two cores: more connections only measure queueing


def wrk(url: str, headers: dict[str, str], duration: str = DURATION, *, threads: int = 2,
        connections: int | str = CONNECTIONS, script: str | None = None) -> dict[str, float]:
    """One wrk run; ``script`` is a Lua file driving the requests (bench/banshi.py chains two)."""
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}", "--latency", url]
    if script:
        cmd[1:1] = ["-s", script]
    for key, value in headers.items():
        cmd[1:1] = ["-H", f"{key}: {value}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    def pct(p: str) -> float:
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {"rps": rps, "p50": pct("50"), "p99": pct("99"), "errors": int(errors.group(1)) if errors else 0}


def main(_args: list[str]) -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: scripts/install-bench-tools.sh")
    instance = Path(tempfile.mkdtemp(prefix="yss-bench-", dir="/tmp"))
    env = {**os.environ, "YSS_INSTANCE_PATH": str(instance), "RATE_LIMIT_PER_MINUTE": "0", "LOG_LEVEL": "WARNING"}
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    from app.migrate import upgrade
    from app.redis_store import redis_url, stop_embedded_redis
    from tests.support.residents import create_resident

    upgrade()
    env["REDIS_URL"] = os.environ.get("REDIS_URL") or redis_url()
    resident = create_resident(level=3)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "--bind", f"127.0.0.1:{PORT}",
         "--workers", "2", "--threads", "4", "wsgi:app"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(100):
            try:
                if requests.get(f"{base}/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        auth = {"Authorization": f"Bearer {resident.tokens.access_token}"}
        cases = [
            ("GET /healthz (baseline: same stack, no store)", "/healthz", {}),
            ("GET /api/v1/status (one query)", "/api/v1/status", {}),
            ("GET /api/v1/auth/jwks (public)", "/api/v1/auth/jwks", {}),
            ("GET /api/v1/me (JWT + session check + decrypt, L3)", "/api/v1/me", auth),
            ("GET /api/v1/me/notifications (paginated inbox, count + page)", "/api/v1/me/notifications", auth),
        ]
        for _label, path, headers in cases:  # warm-up: imports, connection pools, caches
            wrk(base + path, headers, "2s")
        rounds = [[wrk(base + path, headers) for _label, path, headers in cases] for _ in range(ROUNDS)]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        if not os.environ.get("REDIS_URL"):
            stop_embedded_redis(instance)
        shutil.rmtree(instance, ignore_errors=True)
    store = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite (embedded default)"
    lines = [
        f"## API requests ({store})",
        "",
        f"`make bench ARGS=api` — gunicorn 2 workers × 4 threads, wrk -t2 -c{CONNECTIONS} -d{DURATION} on loopback, "
        f"a warm-up, then {ROUNDS} interleaved rounds; {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}. Figures are medians over the rounds; each round's ratio is "
        "against that round's baseline.",
        "",
        "| request | req/s | ratio to baseline (min–max) | p50 ms | p99 ms | non-2xx |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += ratio_rows([label for label, _path, _headers in cases], rounds)
    write_section(f"api-{'pg' if os.environ.get('DATABASE_URL') else 'sqlite'}", "\n".join(lines))
    print("\n".join(lines))


def ratio_rows(labels: list[str], rounds: list[list[dict]]) -> list[str]:
    """One table row per case: median req/s, median ratio to the round's first case (the baseline)
    with its spread, latencies and non-2xx answers over the interleaved rounds."""
    lines = []
    for i, label in enumerate(labels):
        runs = [r[i] for r in rounds]
        ratios = sorted(r[i]["rps"] / r[0]["rps"] for r in rounds)
        spread = f"{median(ratios):.2f} ({ratios[0]:.2f}–{ratios[-1]:.2f})"
        lines.append(
            f"| {label} | {median(x['rps'] for x in runs):.0f} | {spread} "
            f"| {median(x['p50'] for x in runs):.2f} | {median(x['p99'] for x in runs):.2f} "
            f"| {sum(x['errors'] for x in runs)} |")
    return lines
