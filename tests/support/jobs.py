"""Running what the queue holds, with a real Dramatiq worker in this process, until it is empty."""

from __future__ import annotations

import dramatiq


def run_queued_jobs(timeout_ms: int = 30_000, queues: tuple[str, ...] = ("push", "delivery")) -> None:
    import app.worker  # noqa: F401  (registers every actor and the session middleware)
    from app.queue import broker

    worker = dramatiq.Worker(broker, worker_threads=2, worker_timeout=100)
    worker.start()
    try:
        for queue in queues:  # in order: a job may enqueue pushes for a queue joined after it
            broker.join(queue, timeout=timeout_ms)
        worker.join()
    finally:
        worker.stop()
