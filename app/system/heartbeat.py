"""Workers prove they run by recording a heartbeat row through the queue."""

from __future__ import annotations

import os
import socket
from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.db import Base, UTCDateTime, session, transactional
from app.queue import SYSTEM, actor


class WorkerHeartbeat(Base):
    __tablename__ = "worker_heartbeats"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(String(200))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


@actor(queue_name=SYSTEM, max_retries=3)
def record_heartbeat(note: str) -> None:
    _record(note)


@transactional
def _record(note: str) -> None:
    worker = f"{socket.gethostname()}:{os.getpid()}"
    session().add(WorkerHeartbeat(worker=worker, note=note[:200], seen_at=clock.now()))


def last_heartbeat() -> WorkerHeartbeat | None:
    stmt = select(WorkerHeartbeat).order_by(WorkerHeartbeat.seen_at.desc()).limit(1)
    return session().scalars(stmt).first()
