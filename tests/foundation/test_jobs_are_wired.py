"""Every actor runs: its module is imported by app/worker.py (else no worker ever registers it),
every periodic job names a real actor, and every actor's queue is one of app.queue's constants."""

from __future__ import annotations

import ast
from pathlib import Path

import dramatiq

from app.queue import QUEUES
from app.scheduler import PERIODIC, _resolve

ROOT = Path(__file__).resolve().parents[2]


def _actor_modules() -> set[str]:
    found = set()
    for path in ROOT.glob("app/**/*.py"):
        tree = ast.parse(path.read_text())
        decorated = any(isinstance(d, ast.Call) and getattr(d.func, "id", "") == "actor"
                        for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) for d in node.decorator_list)
        if decorated:
            found.add(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return found


def _worker_imports() -> set[str]:
    tree = ast.parse((ROOT / "app" / "worker.py").read_text())
    return {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}


def test_every_module_with_an_actor_is_imported_by_the_worker():
    assert _actor_modules() - _worker_imports() == set()


def test_every_periodic_job_is_an_actor_on_a_known_queue():
    for _every, path, _args in PERIODIC:
        job = _resolve(path)
        assert isinstance(job, dramatiq.Actor), path
        assert job.queue_name in QUEUES, path


def test_every_actor_of_the_worker_uses_a_known_queue():
    import app.worker  # noqa: F401
    from app.queue import broker

    assert {broker.get_actor(name).queue_name for name in broker.get_declared_actors()} <= set(QUEUES)
