"""Delivery throughput: notifications sent to the WeChat emulator by 2 worker processes.

Baseline, in the same run: the same emulator answering a trivial developer-API call with the same
concurrency (2 processes × 4 threads), so the ratio shows what our delivery path (claim, cap and
consent bookkeeping, token, send, record) costs over the bare HTTP round trip.
"""

from __future__ import annotations

import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

from bench.results import write_section

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = "tmpl-service-reminder-0002"  # long-term: thing1, thing2, date3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(args: list[str]) -> None:
    count = int(args[0]) if args else 2000
    instance = Path(tempfile.mkdtemp(prefix="yss-bench-", dir="/tmp"))
    port = _free_port()
    emu = f"http://127.0.0.1:{port}"
    os.environ.update(YSS_INSTANCE_PATH=str(instance), WECHAT_API_BASE=emu, LOG_LEVEL="WARNING",
                      RATE_LIMIT_PER_MINUTE="0")
    sys.path.insert(0, str(ROOT))
    from app import clock
    from app.migrate import upgrade
    from app.push import consent
    from app.push.content import WeChatMessage
    from app.push.notify import Planned, write_notifications
    from app.push.rules import load_templates
    from app.redis_store import redis_url, stop_embedded_redis
    from config import get_settings
    from tests.support.residents import create_resident

    upgrade()
    settings = get_settings()
    env = {**os.environ, "REDIS_URL": os.environ.get("REDIS_URL") or redis_url(),
           "EMULATOR_APPS": f"{settings.wechat_appid}:{settings.wechat_secret}"}
    stub = subprocess.Popen([sys.executable, "-m", "miniprogram_stub", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = None
    http = requests.Session()
    try:
        for _ in range(100):
            try:
                http.get(f"{emu}/__emulator__/stats", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.2)
        for template in load_templates().values():
            http.post(f"{emu}/__emulator__/templates", json={"template_id": template.template_id,
                                                              "kind": template.kind, "keywords": template.keywords})
        people = max(1, count // 3)  # three a day is the default cap per person
        planned = []
        for n in range(people):
            user = http.post(f"{emu}/__emulator__/users", json={"appid": settings.wechat_appid}).json()
            resident = create_resident(level=0, openid=user["openid"])
            http.post(f"{emu}/__emulator__/consents",
                      json={"openid": user["openid"], "template_id": TEMPLATE, "status": "accept"})
            consent.record_client_results(resident.account_id, {TEMPLATE: "accept"})
            for k in range(3):
                marker = f"编号{n}-{k}"
                planned.append(Planned(resident.account_id, "tickets", "办事提醒", "请查看。", None, {}, marker,
                                       message=WeChatMessage(TEMPLATE, "long_term", {
                                           "thing1": "办事提醒", "thing2": marker, "date3": "2026年7月3日"})))
        planned = planned[:count]
        noon = datetime.combine(clock.today() - timedelta(days=1), datetime.min.time(), UTC) + timedelta(hours=4)
        with clock.freeze(noon):  # never in quiet hours
            write_notifications(planned)

        started = time.perf_counter()
        workers = subprocess.Popen([sys.executable, "-m", "dramatiq", "app.worker", "--processes", "2",
                                    "--threads", "4"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 600
        while (sent := len(http.get(f"{emu}/__emulator__/sent", params={"template_id": TEMPLATE}).json()["sent"]))\
                < len(planned):
            if time.monotonic() > deadline:
                raise SystemExit(f"only {sent} of {len(planned)} delivered in 600 s")
            time.sleep(0.2)
        delivery_seconds = time.perf_counter() - started  # includes worker start-up (about 1-2 s)

        def trivial(_: int) -> None:
            requests.get(f"{emu}/__emulator__/stats", timeout=10)

        started = time.perf_counter()
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(trivial, range(len(planned))))
        baseline_seconds = time.perf_counter() - started
    finally:
        if workers is not None:
            os.killpg(workers.pid, 15)
            workers.wait(timeout=30)
        stub.terminate()
        stub.wait(timeout=10)
        if not os.environ.get("REDIS_URL"):
            stop_embedded_redis(instance)
        shutil.rmtree(instance, ignore_errors=True)
    rate, base = len(planned) / delivery_seconds, len(planned) / baseline_seconds
    lines = [
        "## Push delivery throughput (SQLite, embedded Redis)",
        "",
        f"`python -m bench push-delivery {count}` — {len(planned)} notifications, 2 worker processes × 4 threads, "
        f"the emulator as WeChat on loopback; {platform.machine()}, {os.cpu_count()} cores.",
        "",
        "| measure | per second | ratio to baseline |",
        "|---|---:|---:|",
        f"| emulator answering a trivial call, 8 concurrent (baseline) | {base:.0f} | 1.00 |",
        f"| notifications delivered end to end (claim → token → send → record), incl. worker start | {rate:.0f} | "
        f"{rate / base:.2f} |",
        "",
        f"All {len(planned)} arrived, counted at the emulator's sent record ({delivery_seconds:.1f} s).",
    ]
    write_section("push-delivery", "\n".join(lines))
    print("\n".join(lines))
