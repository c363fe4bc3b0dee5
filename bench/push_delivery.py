"""Delivery throughput: notifications sent to the WeChat emulator by 2 worker processes, exactly once.

The emulator runs under gunicorn (one process, because its state is in memory; threads), as a
production server would serve WeChat's side. Timed: from the moment the deliveries are enqueued
(``write_notifications`` in one transaction, workers already up and idle) until every delivery row
is ``sent``; then the emulator's own record is read once and every message must be there exactly
once (each carries its own marker). Beside it, in the same run, the sink's own ceiling: the same
``subscribe/send`` call with the same data, straight from 2 processes × the same threads on
keep-alive connections, no yss code in the way.
"""

from __future__ import annotations

import argparse
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

import requests

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
    """One process of the ceiling run: ``threads`` keep-alive sessions sending ``per_thread`` each."""
    base, token, openids, threads, per_thread = args
    sessions = [_session() for _ in range(threads)]

    def run(n: int) -> int:
        http, ok = sessions[n], 0
        for k in range(per_thread):
            body = http.post(f"{base}{SEND}", params={"access_token": token}, json={
                "touser": openids[(n * per_thread + k) % len(openids)], "template_id": TEMPLATE,
                "data": {"thing1": {"value": "办事提醒"}, "thing2": {"value": f"上限{n}-{k}"},
                         "date3": {"value": "2026年7月3日"}}}, timeout=30).json()
            ok += body.get("errcode", 0) == 0
        return ok

    with ThreadPoolExecutor(threads) as pool:
        return sum(pool.map(run, range(threads)))


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench push-delivery")
    parser.add_argument("count", type=int, nargs="?", default=6000)
    parser.add_argument("--threads", type=int, default=4, help="threads per worker process")
    parser.add_argument("--emulator-threads", type=int, default=16)
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
    from app.db import remove_session, session
    from app.migrate import upgrade
    from app.push import consent
    from app.push.content import WeChatMessage
    from app.push.models import Delivery
    from app.push.notify import Planned, write_notifications
    from app.push.rules import load_templates
    from app.queue import DELIVERY, broker
    from app.redis_store import get_redis, redis_url, stop_embedded_redis
    from config import get_settings
    from tests.support.residents import create_resident

    upgrade()
    settings = get_settings()
    env = {**os.environ, "REDIS_URL": os.environ.get("REDIS_URL") or redis_url(),
           "EMULATOR_APPS": f"{settings.wechat_appid}:{settings.wechat_secret}"}
    # The emulator imports nothing of ours; gunicorn's threaded worker, one process (state in memory).
    stub = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                             "--worker-class", "gthread", "--threads", str(args.emulator_threads),
                             "--keep-alive", "30", "--log-level", "warning", "miniprogram_stub.app:create_app()"],
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
        people = max(1, -(-count // 3))  # three a day is the default cap per person
        planned, openids = [], []
        for n in range(people):
            user = http.post(f"{emu}/__emulator__/users", json={"appid": settings.wechat_appid}).json()
            openids.append(user["openid"])
            resident = create_resident(level=0, openid=user["openid"])
            http.post(f"{emu}/__emulator__/consents",
                      json={"openid": user["openid"], "template_id": TEMPLATE, "status": "accept"})
            consent.record_client_results(resident.account_id, {TEMPLATE: "accept"})
            for k in range(3):
                marker = f"编号{n}-{k}"
                planned.append(Planned(account_id=resident.account_id, category="tickets", title="办事提醒",
                                       body="请查看。", page=None, why={}, dedupe_key=marker,
                                       message=WeChatMessage(TEMPLATE, "long_term", {
                                           "thing1": "办事提醒", "thing2": marker, "date3": "2026年7月3日"})))
        planned = planned[:count]
        remove_session()

        workers = subprocess.Popen([sys.executable, "-m", "dramatiq", "app.worker", "--processes", "2",
                                    "--threads", str(args.threads), "--queues", DELIVERY], cwd=ROOT, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        redis = get_redis()
        deadline = time.monotonic() + 600  # a hang guard only: worker start-up on a loaded machine
        while redis.zcard(f"{broker.namespace}:__heartbeats__") < 2:
            if workers.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the workers did not start")
            time.sleep(0.1)
        load = os.getloadavg()
        noon = datetime.combine(clock.today() - timedelta(days=1), datetime.min.time(), UTC) + timedelta(hours=4)
        started = time.perf_counter()
        with clock.freeze(noon):  # never in quiet hours
            write_notifications(planned)  # commits, then enqueues the delivery batches
        deadline = time.monotonic() + 900  # a hang guard only
        while True:
            remove_session()
            sent = session().scalar(select(func.count()).where(Delivery.state == "sent"))
            if sent >= len(planned):
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"only {sent} of {len(planned)} delivered in 900 s")
            time.sleep(0.02)
        delivery_seconds = time.perf_counter() - started
        load_after = os.getloadavg()
        arrived = Counter(m["data"]["thing2"]["value"] for m in http.get(
            f"{emu}/__emulator__/sent", params={"template_id": TEMPLATE}, timeout=60).json()["sent"])
        expected = Counter(p.message.data["thing2"] for p in planned)
        exactly_once = arrived == expected

        token = http.get(f"{emu}/cgi-bin/token", params={"grant_type": "client_credential",
                                                           "appid": settings.wechat_appid,
                                                           "secret": settings.wechat_secret}).json()["access_token"]
        per_thread = -(-len(planned) // (2 * args.threads))
        started = time.perf_counter()
        with multiprocessing.get_context("spawn").Pool(2) as pool:
            ceiling_ok = sum(pool.map(_blast, [(emu, token, openids, args.threads, per_thread)] * 2))
        ceiling_seconds = time.perf_counter() - started
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
    lines = [
        "## Push delivery throughput (SQLite, Redis)",
        "",
        f"`python -m bench push-delivery {count}` — {len(planned):,} notifications to {people:,} people, 2 worker "
        f"processes × {args.threads} threads (`--queues delivery`, batches of 10: one claim, 10 sends on a "
        f"keep-alive connection, one record); the emulator under gunicorn (1 process × {args.emulator_threads} "
        f"threads); {platform.machine()}, {os.cpu_count()} cores; load average {load[0]:.2f} before, "
        f"{load_after[0]:.2f} after.",
        "",
        "| measure | per second | ratio to the sink's ceiling |",
        "|---|---:|---:|",
        f"| the emulator's own ceiling: `subscribe/send` straight from 2 processes × {args.threads} keep-alive "
        f"threads ({ceiling_ok:,} sends) | {ceiling:,.0f} | 1.00 |",
        f"| notifications delivered end to end (enqueue → claim → send → record) | **{rate:,.0f}** | "
        f"{rate / ceiling:.2f} |",
        "",
        f"Exactly once, counted at the sink: **{'yes' if exactly_once else 'NO'}** — {sum(arrived.values()):,} "
        f"messages arrived for {len(planned):,} notifications, {len(arrived):,} distinct, the most for one "
        f"notification {max(arrived.values(), default=0)} ({delivery_seconds:.1f} s).",
    ]
    write_section("push-delivery", "\n".join(lines))
    print("\n".join(lines))
    if not exactly_once:
        raise SystemExit("not exactly once")
