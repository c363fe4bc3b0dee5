"""The periodic job that applies scheduled licence decisions on their date (app.scheduler PERIODIC).

Safe to run twice or on two workers at once: each licence is handled in its own transaction under
its row lock, and each change is claimed by a conditional UPDATE, so it applies, drops the cached
public answer and fires its push (e.g. licence suspended) exactly once.
"""

from __future__ import annotations

from app import clock
from app.licences.register import apply_due_changes_of, due_licence_ids
from app.queue import LICENCES, actor

BATCH = 500


@actor(queue_name=LICENCES, max_retries=3)
def apply_scheduled_changes() -> None:
    apply_due_now()


def apply_due_now() -> int:
    """Apply every change due by today (Asia/Shanghai); returns how many this run applied."""
    applied = 0
    while True:
        licence_ids = due_licence_ids(clock.today(), BATCH)
        for licence_id in licence_ids:
            applied += apply_due_changes_of(licence_id)
        if len(licence_ids) < BATCH:  # each licence handled leaves nothing due behind it
            return applied
