"""Two API processes and two workers on the same database and Redis behave as one service.

The suite's own stores are shared: on its PostgreSQL pass the configured PostgreSQL and Redis, on
the default pass the SQLite file and the embedded Redis (its socket) — the same code paths either
way, since nothing of a session or a scan lives in a process. Each API process is started on its
own port with the suite's instance directory (so the same signing keys, as a deployment shares them
through configuration).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from app import clock
from app.db import remove_session, session
from app.push import scans
from app.push.models import Notification
from app.queue import broker
from app.redis_store import get_redis, redis_url
from config import get_settings
from tests.support.residents import create_resident
from tests.support.stores import ApiProcess, wait_until

ROOT = Path(__file__).resolve().parents[2]
RULE = "pension_at_sixty"
PEOPLE, BATCH = 24, 2  # twelve batches for two workers


def _shared_env() -> dict[str, str]:
    settings = get_settings()
    env = {"YSS_INSTANCE_PATH": str(settings.instance_path), "REDIS_URL": redis_url()}
    if settings.database_url:
        env["DATABASE_URL"] = settings.database_url
    return env


@pytest.fixture
def two_apis() -> Iterator[tuple[ApiProcess, ApiProcess]]:
    apis = [ApiProcess(**_shared_env()), ApiProcess(**_shared_env())]
    try:
        for api in apis:
            api.start()
        yield apis[0], apis[1]
    finally:
        for api in apis:
            api.close()


def _login(api: ApiProcess, emulator, openid: str) -> dict[str, str]:
    response = requests.post(f"{api.url}/api/v1/auth/wechat-login", json={"code": emulator.login_code(openid)},
                             timeout=30)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _me(api: ApiProcess, headers: dict[str, str]) -> int:
    return requests.get(f"{api.url}/api/v1/me", headers=headers, timeout=30).status_code


@pytest.mark.slow
def test_a_session_made_through_one_api_process_is_honoured_and_revoked_through_the_other(emulator, two_apis):
    a, b = two_apis
    assert a.port != b.port
    openid = emulator.create_user()["openid"]
    headers = _login(a, emulator, openid)
    assert (_me(a, headers), _me(b, headers)) == (200, 200)
    assert requests.post(f"{b.url}/api/v1/auth/logout", headers=headers, timeout=30).status_code == 204
    assert (_me(a, headers), _me(b, headers)) == (401, 401), "logged out through B, refused at A at once"

    first, second = _login(b, emulator, openid), _login(b, emulator, openid)
    assert (_me(a, first), _me(a, second)) == (200, 200)
    ended = requests.post(f"{a.url}/api/v1/auth/logout-all", headers=first, timeout=30)
    assert ended.status_code == 200 and ended.json()["sessions_ended"] >= 2
    assert (_me(b, first), _me(b, second)) == (401, 401), "every session ended through A, refused at B"


def _worker(log: Path, barrier: str) -> subprocess.Popen:
    # One thread, one message prefetched, and a barrier on each worker's first message
    # (tests/support/worker_barrier.py): each must take a batch whichever started first.
    env = {**os.environ, **_shared_env(), "LOG_LEVEL": "INFO", "dramatiq_queue_prefetch": "1",
           "YSS_TEST_BARRIER": barrier}
    with log.open("w") as out:
        return subprocess.Popen([sys.executable, "-m", "dramatiq", "app.worker", "tests.support.worker_barrier",
                                 "--processes", "1", "--threads", "1", "--queues", "push"], cwd=ROOT, env=env,
                                stdout=out, stderr=out, start_new_session=True)


def _batches_run(log: Path) -> list[tuple[str, int, int, int]]:
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    return [(e["rule"], e["lo"], e["hi"], e["written"]) for e in lines if e.get("msg") == "push scan batch"]


@pytest.mark.slow
def test_a_scans_batches_are_shared_between_two_workers_and_none_is_done_twice(tmp_path):
    today = clock.today()
    born = scans.years_before(today, 60) - timedelta(days=3)  # sixty three days ago: in the 30-day window
    people = [create_resident(birth=born) for _ in range(PEOPLE)]
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    barrier = f"test:barrier:{tmp_path.name}"
    workers = [_worker(log, barrier) for log in logs]
    try:
        # Both consuming before the batches exist, so that either may take any of them.
        wait_until(lambda: get_redis().zcard(f"{broker.namespace}:__heartbeats__") >= 2, timeout=120,
                   what="both workers to start")
        planned = [job for job in scans.plan_scan(today, size=BATCH) if job[0] == RULE]
        assert len(planned) == PEOPLE // BATCH
        wait_until(lambda: broker.do_qsize("push") == 0, timeout=300, what="the scan's batches to run")
    finally:
        for worker in workers:
            os.killpg(worker.pid, 15)
            worker.wait(timeout=60)
    runs = [[r for r in _batches_run(log) if r[0] == RULE] for log in logs]
    assert all(runs), f"both workers took batches: {[len(r) for r in runs]}"
    done = sorted((rule, lo, hi) for run in runs for rule, lo, hi, _w in run)
    assert done == sorted(planned), "every batch run once, by one worker"
    assert sum(w for run in runs for *_k, w in run) == PEOPLE
    remove_session()
    recipients = session().scalars(select(Notification.recipient_account_id).where(Notification.rule_id == RULE))
    assert sorted(recipients) == sorted(p.account_id for p in people), "each person told once"
    assert session().scalar(select(func.count()).select_from(Notification)) == PEOPLE
