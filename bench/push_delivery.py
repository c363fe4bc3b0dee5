"""Delivery throughput: notifications sent to the WeChat emulator by 2 worker processes, exactly once.

The emulator runs under gunicorn (one process, because its state is in memory), as a production
server would serve WeChat's side: its asyncio worker, the sends answered on the event loop
(``miniprogram_stub.asgi``). A warm-up round first (every worker thread has sent a
batch: connections open, statements compiled), then timed: from the moment the deliveries are
enqueued (``write_notifications`` in one transaction, workers up and idle) until every delivery row
is ``sent``; then the emulator's own record is read once and every message must be there exactly
once (each carries its own marker). Beside it, in the same run, the sink's own ceiling: the same
``subscribe/send`` call with the same data, straight from 2 processes × the same threads on
keep-alive connections (urllib3, as yss sends), no yss code in the way.

CPU per message is each side's user + system CPU over the timed window divided by the messages:
the worker processes (Dramatiq's parent and its 2 workers), the emulator, Redis, and this process
(the enqueue and the polling for the end).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psutil
import requests
import urllib3

from bench.results import write_section

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = "tmpl-service-reminder-0002"  # long-term: thing1, thing2, date3
SEND = "/cgi-bin/message/subscribe/send"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _session() -> requests.Session:
    http = requests.Session()
    http.trust_env = False
    return http


def _blast(args: tuple[str, str, list[str], int, int]) -> int:
    """One process of the ceiling run: ``threads`` keep-alive connections sending ``per_thread`` each."""
    base, token, openids, threads, per_thread = args

    def run(n: int) -> int:
        http, ok = urllib3.connection_from_url(base, maxsize=1, retries=False), 0
        for k in range(per_thread):
            body = json.dumps({
                "touser": openids[(n * per_thread + k) % len(openids)], "template_id": TEMPLATE,
                "data": {"thing1": {"value": "办事提醒"}, "thing2": {"value": f"上限{n}-{k}"},
                         "date3": {"value": "2026年7月3日"}}}, ensure_ascii=False).encode()
            answer = http.urlopen("POST", f"{SEND}?access_token={token}", body=body,
                                  headers={"Content-Type": "application/json"}, timeout=30)
            ok += json.loads(answer.data).get("errcode", 0) == 0
        return ok

    with ThreadPoolExecutor(threads) as pool:
        return sum(pool.map(run, range(threads)))


def _cpu_seconds(pid: int, children: bool = True) -> float:
    """User + system CPU so far of a process and (unless told not to) all its children."""
    root = psutil.Process(pid)
    total = 0.0
    for proc in [root, *(root.children(recursive=True) if children else [])]:
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def _plan(people: list[tuple[int, str]], tag: str, count: int) -> list:
    """Three notifications a person (the default daily cap), each with its own marker, ``count`` in all."""
    from app.push.content import WeChatMessage
    from app.push.notify import Planned

    planned = []
    for n, (account_id, _openid) in enumerate(people):
        for k in range(3):
            marker = f"{tag}{n}-{k}"
            planned.append(Planned(account_id=account_id, category="tickets", title="办事提醒", body="请查看。",
                                   page=None, why={}, dedupe_key=marker, message=WeChatMessage(
                                       TEMPLATE, "long_term", {"thing1": "办事提醒", "thing2": marker,
                                                               "date3": "2026年7月3日"})))
    return planned[:count]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench push-delivery")
    parser.add_argument("count", type=int, nargs="?", default=6000)
    parser.add_argument("--threads", type=int, default=4, help="threads per worker process")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so the emulator, workers and Redis are stopped
    count = args.count
    instance = Path(tempfile.mkdtemp(prefix="yss-bench-", dir="/tmp"))
    port = _free_port()
    emu = f"http://127.0.0.1:{port}"
    os.environ.update(YSS_INSTANCE_PATH=str(instance), WECHAT_API_BASE=emu, LOG_LEVEL="WARNING",
                      RATE_LIMIT_PER_MINUTE="0")
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import func, select

    from app import clock
    from app.db import get_engine, remove_session
    from app.migrate import upgrade
    from app.push import consent, delivery
    from app.push.models import Delivery
    from app.push.notify import write_notifications
    from app.push.rules import load_templates
    from app.queue import DELIVERY, broker
    from app.redis_store import get_redis, redis_url, stop_embedded_redis
    from config import get_settings
    from tests.support.residents import create_resident

    upgrade()
    settings = get_settings()
    dialect = get_engine().dialect.name
    database = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(dialect, dialect)
    env = {**os.environ, "REDIS_URL": os.environ.get("REDIS_URL") or redis_url(),
           "EMULATOR_APPS": f"{settings.wechat_appid}:{settings.wechat_secret}"}
    # The emulator imports nothing of ours; one process (its state is in memory) on gunicorn's asyncio
    # worker, which answers the sends on its event loop (miniprogram_stub/asgi.py).
    stub = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                             "--worker-class", "asgi", "--asgi-lifespan", "off", "--keep-alive", "30",
                             "--log-level", "warning", "miniprogram_stub.asgi:create_asgi_app()"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = None
    http = _session()
    try:
        deadline = time.monotonic() + 120  # a hang guard only
        while True:
            try:
                http.get(f"{emu}/__emulator__/stats", timeout=1)
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise SystemExit("the emulator did not start") from None
                time.sleep(0.2)
        for template in load_templates().values():
            http.post(f"{emu}/__emulator__/templates", json={"template_id": template.template_id,
                                                              "kind": template.kind, "keywords": template.keywords})

        def person() -> tuple[int, str]:
            user = http.post(f"{emu}/__emulator__/users", json={"appid": settings.wechat_appid}).json()
            resident = create_resident(level=0, openid=user["openid"])
            http.post(f"{emu}/__emulator__/consents",
                      json={"openid": user["openid"], "template_id": TEMPLATE, "status": "accept"})
            consent.record_client_results(resident.account_id, {TEMPLATE: "accept"})
            return resident.account_id, user["openid"]

        # Warm-up: a batch for every worker thread, so each has its connections and compiled statements.
        warm_count = 2 * args.threads * delivery.BATCH
        warm = _plan([person() for _ in range(-(-warm_count // 3))], "预热", warm_count)
        people = [person() for _ in range(max(1, -(-count // 3)))]
        planned = _plan(people, "编号", count)
        openids = [openid for _account, openid in people]
        remove_session()

        workers = subprocess.Popen([sys.executable, "-m", "dramatiq", "app.worker", "--processes", "2",
                                    "--threads", str(args.threads), "--queues", DELIVERY], cwd=ROOT, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        redis = get_redis()
        redis_pid = int(redis.info("server")["process_id"])
        deadline = time.monotonic() + 600  # a hang guard only: worker start-up on a loaded machine
        while redis.zcard(f"{broker.namespace}:__heartbeats__") < 2:
            if workers.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the workers did not start")
            time.sleep(0.1)
        noon = datetime.combine(clock.today() - timedelta(days=1), datetime.min.time(), UTC) + timedelta(hours=4)

        def deliver(notifications: list) -> float:
            """Enqueue ``notifications`` and wait until every delivery is sent; the seconds it took."""
            started = time.perf_counter()
            with clock.freeze(noon):  # never in quiet hours
                write_notifications(notifications)  # commits, then enqueues the delivery batches
            deadline = time.monotonic() + 900  # a hang guard only
            with get_engine().connect() as conn:  # one held connection: a poll costs ~40 µs, not ~230
                target = conn.execute(select(func.count()).select_from(Delivery)).scalar() or 0
                while True:
                    sent = conn.execute(select(func.count()).where(Delivery.state == "sent")).scalar() or 0
                    conn.rollback()  # the next poll sees the workers' commits
                    if sent >= target:
                        return time.perf_counter() - started
                    if time.monotonic() > deadline:
                        raise SystemExit(f"only {sent} of {target} delivered in 900 s")
                    time.sleep(0.02)

        deliver(warm)
        load = os.getloadavg()
        cpu_before = [_cpu_seconds(workers.pid), _cpu_seconds(stub.pid), _cpu_seconds(redis_pid),
                      _cpu_seconds(os.getpid(), children=False)]
        delivery_seconds = deliver(planned)
        cpu_after = [_cpu_seconds(workers.pid), _cpu_seconds(stub.pid), _cpu_seconds(redis_pid),
                     _cpu_seconds(os.getpid(), children=False)]
        load_after = os.getloadavg()
        per_message = [(after - before) / len(planned) * 1e6 for before, after in zip(cpu_before, cpu_after,
                                                                                      strict=True)]
        arrived = Counter(m["data"]["thing2"]["value"] for m in http.get(
            f"{emu}/__emulator__/sent", params={"template_id": TEMPLATE}, timeout=60).json()["sent"])
        expected = Counter(p.message.data["thing2"] for p in [*warm, *planned])
        exactly_once = arrived == expected
        timed = Counter({marker: n for marker, n in arrived.items() if marker.startswith("编号")})

        token = http.get(f"{emu}/cgi-bin/token", params={"grant_type": "client_credential",
                                                           "appid": settings.wechat_appid,
                                                           "secret": settings.wechat_secret}).json()["access_token"]
        per_thread = -(-len(planned) // (2 * args.threads))
        sink_before = _cpu_seconds(stub.pid)
        started = time.perf_counter()
        with multiprocessing.get_context("spawn").Pool(2) as pool:
            ceiling_ok = sum(pool.map(_blast, [(emu, token, openids, args.threads, per_thread)] * 2))
        ceiling_seconds = time.perf_counter() - started
        sink_per_send = (_cpu_seconds(stub.pid) - sink_before) / max(1, ceiling_ok) * 1e6
        load_end = os.getloadavg()
    finally:
        if workers is not None:
            os.killpg(workers.pid, 15)
            workers.wait(timeout=60)
        stub.terminate()
        stub.wait(timeout=30)
        if not os.environ.get("REDIS_URL"):
            stop_embedded_redis(instance)
        shutil.rmtree(instance, ignore_errors=True)
    rate, ceiling = len(planned) / delivery_seconds, ceiling_ok / ceiling_seconds
    workers_us, sink_us, redis_us, bench_us = per_message
    lines = [
        f"## Push delivery throughput ({database}, Redis)",
        "",
        f"`python -m bench push-delivery {count}` — {len(planned):,} notifications to {len(people):,} people, 2 "
        f"worker processes × {args.threads} threads (`--queues delivery`, jobs of up to {delivery.BATCH} "
        f"deliveries: one claim, the sends on keep-alive connections with one access_token read, one record), "
        f"after a warm-up of {len(warm):,}; the emulator under gunicorn (1 process, its asyncio worker: the "
        f"sends answered on the event loop, the rest by the Flask app on threads); {platform.machine()}, "
        f"{os.cpu_count()} cores, shared with other work; load average "
        f"{load[0]:.2f} before, {load_after[0]:.2f} after the timed run, {load_end[0]:.2f} after the ceiling.",
        "",
        "| measure | per second | ratio to the sink's ceiling |",
        "|---|---:|---:|",
        f"| the emulator's own ceiling: `subscribe/send` straight from 2 processes × {args.threads} keep-alive "
        f"threads ({ceiling_ok:,} sends) | {ceiling:,.0f} | 1.00 |",
        f"| notifications delivered end to end (enqueue → claim → send → record) | **{rate:,.0f}** | "
        f"{rate / ceiling:.2f} |",
        "",
        f"Exactly once, counted at the sink: **{'yes' if exactly_once else 'NO'}** — {sum(timed.values()):,} "
        f"messages arrived for the {len(planned):,} timed notifications, {len(timed):,} distinct, the most for "
        f"one notification {max(timed.values(), default=0)} ({delivery_seconds:.2f} s); warm-up and timed "
        f"together {sum(arrived.values()):,} for {len(expected):,}.",
        "",
        "CPU per message over the timed run (user + system, µs):",
        "",
        "| yss workers (all 3 processes) | emulator | Redis | enqueue + polling (this process) |",
        "|---:|---:|---:|---:|",
        f"| {workers_us:,.0f} | {sink_us:,.0f} | {redis_us:,.0f} | {bench_us:,.0f} |",
        "",
        f"The emulator spent {sink_per_send:,.0f} µs of CPU per send in the ceiling run: one core would carry "
        f"about {1e6 / sink_per_send:,.0f} sends/s.",
    ]
    write_section("push-delivery", "\n".join(lines))
    print("\n".join(lines))
    if not exactly_once:
        raise SystemExit("not exactly once")
