"""What runs after a commit (enqueueing a job that carries a row id, dropping a cache entry) cannot
turn a committed write into an error when a store is out of reach: the sweeps redo it."""

import pytest
import redis
from sqlalchemy import select

from app import clock
from app.db import after_commit, remove_session, session, transactional
from app.system.heartbeat import WorkerHeartbeat
from tests.support.stores import free_port


def _write(callback):
    @transactional
    def write() -> str:
        session().add(WorkerHeartbeat(worker="test", note="after-commit", seen_at=clock.now()))
        after_commit(callback)
        return "written"

    return write()


def test_redis_out_of_reach_after_the_commit_leaves_the_write_and_its_answer_standing():
    nobody_listens = redis.Redis(host="127.0.0.1", port=free_port(), socket_connect_timeout=1)
    assert _write(nobody_listens.ping) == "written"
    remove_session()
    assert session().scalars(select(WorkerHeartbeat.note)).all() == ["after-commit"]


def test_any_other_error_after_the_commit_still_surfaces():
    with pytest.raises(ZeroDivisionError):
        _write(lambda: 1 / 0)
