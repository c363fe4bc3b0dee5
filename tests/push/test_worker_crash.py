"""A worker killed in the middle of a batch: nothing reaches WeChat twice, and nothing is lost.

The contract the delivery code keeps (app/push/delivery.py), checked here with a real worker process
SIGKILLed while it sends a batch of more than 1,000 deliveries, a second worker started after it, and
every message counted at the emulator:

- no notification ever reaches WeChat twice — not after the crash, not after the sweep re-enqueues the
  rows whose jobs died with the first worker, not after the second worker runs them;
- every notification reaches WeChat exactly once, except the few claimed when the worker died (at most
  its thread count times the delivery batch): those stay ``sending`` until their lease passes, then the
  sweep makes them ``interrupted`` dead letters, never resent on their own, because WeChat cannot be asked whether a
  message went out. Some of them did reach WeChat (the request was already there when the worker died);
- WeChat's own reports of what it sent (``subscribe_msg_sent_event``) settle the interrupted sends
  that did arrive as ``sent``; what is left in the dead letters is exactly what never arrived, which an
  operator requeues (operations.requeue), and then every notification has been delivered exactly once.
  Requeueing blindly would send the ones that did arrive a second time, which is why nothing is retried
  on its own.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app import clock
from app.db import remove_session, session
from app.identity.models import Account
from app.paging import Window
from app.push import delivery, operations
from app.push.content import WeChatMessage
from app.push.models import Delivery
from app.push.notify import Planned, write_notifications
from tests.push.conftest import push_event, sent_to

ROOT = Path(__file__).resolve().parents[2]
LONG = "tmpl-service-reminder-0002"  # long-term: thing1, thing2, date3
SEND_PATH = "/cgi-bin/message/subscribe/send"
PEOPLE, PER_PERSON = 340, 3  # three a day is the default WeChat cap per person: 1,020 deliveries
THREADS = 4


def _start_worker() -> subprocess.Popen:
    # Its own session, so the kill reaches dramatiq's parent and its worker process alike.
    return subprocess.Popen(
        [sys.executable, "-m", "dramatiq", "app.worker", "--processes", "1", "--threads", str(THREADS)],
        cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)


def _kill(worker: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    if worker.poll() is None:
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.killpg(worker.pid, sig)
    worker.wait(timeout=20)


def _sent_markers(emulator) -> Counter:
    return Counter(m["data"]["thing2"]["value"] for m in emulator._get("/sent", template_id=LONG)["sent"])


def _deliveries() -> list[Delivery]:
    remove_session()
    return list(session().scalars(select(Delivery)))


def _openid(account_id: int) -> str:
    return session().get(Account, account_id).provider_uid


def _report_sent(emulator, live_url: str, openid: str) -> None:
    """As WeChat does: report every message sent to ``openid`` to our message endpoint."""
    items = [{"TemplateId": m["template_id"], "MsgID": str(m["msgid"]), "ErrorCode": 0, "ErrorStatus": "success"}
             for m in sent_to(emulator, openid)]
    if not items:
        return  # a whole claimed batch may have died unsent: WeChat has nothing to report for this person
    assert push_event(emulator, live_url, openid, "subscribe_msg_sent_event", items)["body"] == "success"


def _wait(condition, what: str, timeout: float = 300) -> None:
    # A guard against a hang, not a performance bound: a loaded machine may take minutes.
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _write_batch(person) -> dict[str, int]:
    """1,020 notifications, each with its own marker in the message; returns marker → notification id."""
    people = [person(accept={LONG: 1}, level=0) for _ in range(PEOPLE)]
    planned = []
    for p in people:
        for n in range(PER_PERSON):
            marker = f"编号{p.account_id}-{n}"
            data = {"thing1": "办事提醒", "thing2": marker, "date3": "2026年7月3日"}
            message = WeChatMessage(LONG, "long_term", data)
            planned.append(Planned(account_id=p.account_id, category="tickets", title="办事提醒", body="请查看。",
                                   page=None, why={"test": marker}, dedupe_key=marker, message=message))
    # Yesterday's noon in Shanghai: never in quiet hours, and old enough for the sweep to call a row stuck.
    noon = datetime.combine(clock.today() - timedelta(days=1), datetime.min.time(), UTC) + timedelta(hours=4)
    with clock.freeze(noon):
        ids = write_notifications(planned)
    by_notification = {d.notification_id: d for d in _deliveries()}
    assert len(ids) == len(planned) >= 1000 and all(by_notification[i].state == "pending" for i in ids)
    return {by_notification[i].data["thing2"]: i for i in ids}


@pytest.mark.slow
def test_a_worker_killed_mid_batch_sends_nothing_twice_and_every_notification_arrives_once(person, wechat,
                                                                                            live_api):
    markers = _write_batch(person)  # the jobs are in the queue now
    # Each send a little slow, so that the kill lands with part of the batch sent and part not.
    wechat.fault(SEND_PATH, "slow", count=len(markers), delay_seconds=0.02)
    first = _start_worker()
    second = None
    try:
        _wait(lambda: len(_sent_markers(wechat)) >= 150, "the first worker to send part of the batch")
        _kill(first)
        sent_at_kill = sum(_sent_markers(wechat).values())
        assert sent_at_kill < len(markers) * 0.9, "the kill landed in the middle of the batch"
        wechat.http.delete(f"{wechat.base_url}/__emulator__/faults", timeout=10)  # the second worker at full speed

        in_flight = {d.id for d in _deliveries() if d.state == "sending"}
        assert len(in_flight) <= THREADS * delivery.BATCH, "only the batches running at the kill hold a lease"
        # The periodic sweep: rows whose jobs died in the first worker's hands go back to the queue.
        assert delivery.sweep()["requeued"] > 0
        second = _start_worker()

        def settled() -> bool:
            rows = _deliveries()
            return all(d.state not in ("pending", "deferred") for d in rows) and \
                {d.id for d in rows if d.state == "sending"} <= in_flight
        _wait(settled, "the second worker to finish the batch")
        time.sleep(0.5)  # any send still travelling would show up at the emulator now

        # Past the lease, the sweep turns the calls cut off mid-way into dead letters, never resending them.
        with clock.freeze(clock.now() + delivery.LEASE + timedelta(seconds=30)):
            assert delivery.sweep()["interrupted"] == len(in_flight)
        sent = _sent_markers(wechat)
        assert max(sent.values()) == 1, "no notification reached WeChat twice"
        rows = {d.notification_id: d for d in _deliveries()}
        for marker, notification_id in markers.items():
            row = rows[notification_id]
            if row.id in in_flight:
                assert (row.state, row.reason) == ("failed", "interrupted")
                assert sent[marker] <= 1
            else:
                assert row.state == "sent" and sent[marker] == 1, (marker, row.state, row.reason)

        # WeChat reports each message it sent (subscribe_msg_sent_event). Past a lease, the reports settle
        # a person's interrupted sends when they account for all of them (a report names no content, so
        # one report for two interrupted sends cannot say which arrived: those stay for an operator).
        by_account: dict[int, list[str]] = {}
        for marker, nid in markers.items():
            if rows[nid].id in in_flight:
                by_account.setdefault(rows[nid].account_id, []).append(marker)
        for account_id in by_account:
            _report_sent(wechat, live_api, _openid(account_id))
        whole = [m for group in by_account.values() if all(sent[m] for m in group) for m in group]
        with clock.freeze(clock.now() + 2 * delivery.LEASE + timedelta(seconds=30)):
            assert delivery.sweep()["settled"] == len(whole)
        rows = {d.notification_id: d for d in _deliveries()}
        assert all(rows[markers[m]].state == "sent" for m in whole)

        # The dead letters are the rest of the interrupted sends; the operator requeues those that never arrived.
        missing = [rows[markers[m]].id for m in markers if sent[m] == 0]
        dead = operations.dead_letters(Window(0, len(in_flight) + 1))  # every one: a batch may hold 100
        assert sorted(d.id for d in dead.items) == sorted(in_flight - {
            rows[markers[m]].id for m in whole})
        assert len(missing) <= len(in_flight)
        for delivery_id in missing:
            operations.requeue(delivery_id, staff_id=1)
        _wait(lambda: all(d.state != "pending" and d.state != "sending" for d in _deliveries()
                          if d.id in missing), "the requeued messages to be sent")
        time.sleep(0.2)
        assert _sent_markers(wechat) == Counter(markers.keys()), "every notification delivered exactly once"
    finally:
        _kill(first)
        if second is not None:
            _kill(second, signal.SIGTERM)
