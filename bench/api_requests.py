"""API request throughput: authenticated resident reads against the same stack's /healthz.

Starts gunicorn (as `make run` does) on a fresh instance, creates an L3 resident who represents an
entity with licences (bench/fixtures.py), and drives each endpoint with wrk from a second process
on loopback. The baseline (/healthz) is the same server, workers and middleware answering without
touching a store, so the ratios show what auth, the session check and the database add; a bare
Flask hello-world under the same gunicorn settings shows the stack's own ceiling. Every request
comes from a different client address behind one trusted proxy (bench/many_clients.lua), so the
per-address limits (on, at their production values) count as they would for real clients.

On a small shared machine one wrk run is noisy, and the machine's speed drifts within a minute, so
the cases run in interleaved rounds, and in each round every endpoint runs right after a baseline
run of its own: its ratio is taken against that adjacent run (not one half a minute earlier), and
the table gives the median over rounds with the lowest and highest ratio seen.
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
HELLO_PORT = 8766
CLIENTS_SCRIPT = str(Path(__file__).resolve().parent / "many_clients.lua")
DURATION = os.environ.get("BENCH_DURATION", "1s")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "21"))
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "4")  # two cores: more connections only measure queueing
# BENCH_ONLY=me,check: only the cases whose path holds one of these (the baseline always runs); for
# trying a change, not for RESULTS.md (the section is then not written).
ONLY = [part for part in os.environ.get("BENCH_ONLY", "").split(",") if part]


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


def _gunicorn(app: str, port: int, env: dict[str, str]) -> subprocess.Popen:
    # BENCH_SERVER_LOG=<file> keeps the server's own log (errors) for a look after the run.
    log = open(os.environ["BENCH_SERVER_LOG"], "a") if os.environ.get("BENCH_SERVER_LOG") else subprocess.DEVNULL  # noqa: SIM115
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "4", app], cwd=ROOT, env=env, stdout=log, stderr=log)


def shutdown(servers: list[subprocess.Popen], instance: Path) -> None:
    """Stop the bench's servers and its embedded Redis (when it started one), drop its instance."""
    from app.redis_store import stop_embedded_redis

    for process in servers:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    if not os.environ.get("REDIS_URL"):
        stop_embedded_redis(instance)
    shutil.rmtree(instance, ignore_errors=True)


def _wait_ready(url: str) -> None:
    for _ in range(300):
        try:
            if requests.get(url, timeout=1).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def main(_args: list[str]) -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: scripts/install-bench-tools.sh")
    instance = Path(tempfile.mkdtemp(prefix="yss-bench-", dir="/tmp"))
    env = {**os.environ, "YSS_INSTANCE_PATH": str(instance), "LOG_LEVEL": "WARNING", "TRUSTED_PROXIES": "1"}
    env.pop("RATE_LIMIT_PER_MINUTE", None)  # the production default
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    from app.migrate import upgrade
    from app.redis_store import redis_url
    from bench import fixtures

    upgrade()
    env["REDIS_URL"] = os.environ.get("REDIS_URL") or redis_url()
    data = fixtures.create()
    server, hello = _gunicorn("wsgi:app", PORT, env), _gunicorn("bench.hello:app", HELLO_PORT, env)
    load = os.getloadavg()
    try:
        base = f"http://127.0.0.1:{PORT}"
        _wait_ready(f"{base}/healthz")
        _wait_ready(f"http://127.0.0.1:{HELLO_PORT}/")
        auth = {"Authorization": f"Bearer {data.token}"}
        cases = [
            ("GET /healthz (baseline: same stack, no store)", f"{base}/healthz", {}),
            ("bare Flask hello-world, same gunicorn (the stack's ceiling)", f"http://127.0.0.1:{HELLO_PORT}/", {}),
            ("GET /api/v1/status (one query)", f"{base}/api/v1/status", {}),
            ("GET /api/v1/auth/jwks (public)", f"{base}/api/v1/auth/jwks", {}),
            ("GET /api/v1/me (JWT + session check + decrypt, L3)", f"{base}/api/v1/me", auth),
            ("GET /api/v1/me/notifications (paginated inbox)", f"{base}/api/v1/me/notifications", auth),
            ("GET /api/v1/entities/<uscc>/licences (acting as representative)",
             f"{base}/api/v1/entities/{data.uscc}/licences", auth),
            ("GET /api/v1/licences/check (public, cached)",
             f"{base}/api/v1/licences/check?number={data.licence_number}", {}),
        ]
        if ONLY:
            cases = cases[:1] + [case for case in cases[1:] if any(part in case[1] for part in ONLY)]
        for _label, url, headers in cases:  # warm-up: imports, connection pools, caches
            wrk(url, headers, "2s", script=CLIENTS_SCRIPT)
        rounds = [_paired_round(cases) for _ in range(ROUNDS)]
    finally:
        shutdown([server, hello], instance)
    store = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite (embedded default)"
    lines = [
        f"## API requests ({store})",
        "",
        f"`make bench ARGS=api` — gunicorn 2 workers × 4 threads, wrk -t2 -c{CONNECTIONS} -d{DURATION} on loopback "
        f"(each request from another client address), a warm-up, then {ROUNDS} interleaved rounds, each "
        "endpoint right after a /healthz run of its own; "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; load average "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min) at the start. Figures are medians over the "
        "rounds; each ratio is against the /healthz run just before it (the baseline row: the median of a "
        "round's /healthz runs).",
        "",
        "| request | req/s | ratio to /healthz (min–max) | p50 ms | p99 ms | non-2xx |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += ratio_rows([label for label, _url, _headers in cases], rounds)
    if ONLY:
        print("\n".join(lines))
        return
    write_section(f"api-{'pg' if os.environ.get('DATABASE_URL') else 'sqlite'}", "\n".join(lines))
    print("\n".join(lines))


def _paired_round(cases: list[tuple[str, str, dict[str, str]]]) -> list[dict]:
    """One round: each case after a baseline run (``cases[0]``) of its own, which it carries as
    ``baseline_rps``; the round's baseline entry is the median of those runs."""
    _label, base_url, base_headers = cases[0]
    runs, baselines = [], []
    for _label, url, headers in cases[1:]:
        baselines.append(wrk(base_url, base_headers, script=CLIENTS_SCRIPT))
        runs.append({**wrk(url, headers, script=CLIENTS_SCRIPT), "baseline_rps": baselines[-1]["rps"]})
    middle = sorted(baselines, key=lambda run: run["rps"])[len(baselines) // 2]
    return [middle, *runs]


def ratio_rows(labels: list[str], rounds: list[list[dict]]) -> list[str]:
    """One table row per case: median req/s, median ratio to its baseline (the run's own
    ``baseline_rps`` when it has one, else the round's first case) with its spread, latencies and
    non-2xx answers over the interleaved rounds."""
    lines = []
    for i, label in enumerate(labels):
        runs = [r[i] for r in rounds]
        ratios = sorted(r[i]["rps"] / r[i].get("baseline_rps", r[0]["rps"]) for r in rounds)
        spread = f"{median(ratios):.3f} ({ratios[0]:.2f}–{ratios[-1]:.2f})"  # a goal is read off the median
        lines.append(
            f"| {label} | {median(x['rps'] for x in runs):.0f} | {spread} "
            f"| {median(x['p50'] for x in runs):.2f} | {median(x['p99'] for x in runs):.2f} "
            f"| {sum(x['errors'] for x in runs)} |")
    return lines
