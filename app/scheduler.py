"""Periodic jobs: enqueue each actor once per interval, across any number of schedulers.

``python -m app.scheduler`` runs it. The slot lock in Redis (SET NX) makes a second scheduler
process harmless: only one enqueue per job per slot wins.
"""

from __future__ import annotations

import importlib
import logging
import signal
import time

from app import clock
from app.logs import configure_logging
from app.redis_store import get_redis
from config import get_settings

log = logging.getLogger("yss.scheduler")

# (every N seconds, "module:actor", args)
PERIODIC: tuple[tuple[int, str, tuple], ...] = (
    (60, "app.system.heartbeat:record_heartbeat", ("scheduler",)),
    (60, "app.push.delivery:sweep_deliveries", ()),
    (60, "app.push.events:sweep_outbox", ()),
    # Spent request nonces past their timestamp window (intake batches, WeChat pushes).
    (600, "app.security.nonces:purge_expired_nonces", ()),
    (3_600, "app.push.wechat_messages:purge_message_receipts", ()),
    # A signed checkpoint of the audit chain's head, appended outside the database.
    (300, "app.audit.checkpoints:write_audit_checkpoint", ()),
    # Hourly: close resolved tickets 7 days on and count the unrated as 基本满意.
    (3_600, "app.ratings.settlement:settle_resolved_tickets", ()),
    # Hourly: decided applications unrated 7 days on count as 基本满意.
    (3_600, "app.applications.settlement:settle_decided_applications", ()),
    # Licence decisions dated in the future, within minutes of local midnight on their date.
    (300, "app.licences.schedule:apply_scheduled_changes", ()),
    # Hourly: remind tomorrow's appointments (once each) and record yesterday's no-shows.
    (3_600, "app.halls.reminders:appointment_reminders", ()),
    # Hourly: rebuild the open datasets (the figures page and the downloads read the last build).
    (3_600, "app.opendata.publish:refresh_open_data", ()),
    # Daily, at 00:00 UTC = 08:00 Asia/Shanghai (when quiet hours end); a repeat in the same day writes nothing.
    (86_400, "app.push.scans:daily_scan", ()),
    # Daily: tell parents and child when a ward turns 18 (the acting itself ended by the date).
    (86_400, "app.acting.coming_of_age:tell_coming_of_age", ()),
)


def _resolve(path: str):
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def tick(now: float | None = None) -> list[str]:
    """Enqueue every job whose slot has started and not yet been claimed; return their names."""
    now = clock.wall_seconds() if now is None else now
    enqueued = []
    for every, path, args in PERIODIC:
        slot = int(now) // every
        if get_redis().set(f"sched:{path}:{slot}", "1", nx=True, ex=every * 2):
            _resolve(path).send(*args)
            enqueued.append(path)
    return enqueued


def main() -> None:
    configure_logging(get_settings().log_level)
    import app.worker  # noqa: F401  (registers every actor with the broker)

    running = True

    def stop(*_args: object) -> None:
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while running:
        for path in tick():
            log.info("enqueued periodic job", extra={"job": path})
        time.sleep(1)


if __name__ == "__main__":
    main()
