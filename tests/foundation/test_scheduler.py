from app import scheduler
from app.queue import broker


def test_two_schedulers_enqueue_each_periodic_job_once_per_slot():
    queue = "system"
    before = broker.client.llen(f"dramatiq:{queue}")
    first = scheduler.tick(now=1_000_000.0)
    second = scheduler.tick(now=1_000_010.0)  # same 60-second slot, e.g. another host
    assert "app.system.heartbeat:record_heartbeat" in first
    assert second == []
    assert broker.client.llen(f"dramatiq:{queue}") == before + 1
    assert "app.system.heartbeat:record_heartbeat" in scheduler.tick(now=1_000_060.0)
