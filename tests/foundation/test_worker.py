"""A job enqueued by the app is done by a real Dramatiq worker process."""

import os
import subprocess
import sys
import time
from pathlib import Path

from app import db
from app.system.heartbeat import last_heartbeat, record_heartbeat

ROOT = Path(__file__).resolve().parents[2]


def test_a_real_worker_runs_the_heartbeat_job_and_status_shows_it(client):
    assert client.get("/api/v1/status").json["worker_last_seen"] is None
    record_heartbeat.send("from the test")
    worker = subprocess.Popen(
        [sys.executable, "-m", "dramatiq", "app.worker", "--processes", "1", "--threads", "1"],
        cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while (beat := last_heartbeat()) is None and time.monotonic() < deadline:
            db.remove_session()
            time.sleep(0.2)
        assert beat is not None, "the worker did not run the job"
        assert beat.note == "from the test"
        assert beat.worker.rsplit(":", 1)[1] != str(os.getpid()), "done in the worker, not here"
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    assert client.get("/api/v1/status").json["worker_last_seen"] is not None
