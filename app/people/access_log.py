"""The data tracker a resident sees: every read of their data by someone other than themselves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.db import session
from app.identity.sessions import Principal
from app.intake.models import Authority

_ACTOR_LABELS = {"verifier": "扫码核验方", "system": "系统", "resident": "本人"}


@dataclass(frozen=True)
class AccessEntry:
    at: datetime
    actor_type: str
    actor: str
    data: list[str]
    purpose: str | None
    details: dict[str, Any]


def _actor_label(entry: AuditEntry, authorities: dict[str, str]) -> str:
    if entry.actor_type == "staff":
        # Never a staff username: residents see a role and a number they can quote to support.
        return f"工作人员 #{entry.actor_id}" if entry.actor_id else "工作人员"
    if entry.actor_type == "relying_party":  # a department app that received claims through yss login
        return entry.details.get("client_name") or "部门应用"
    if entry.actor_type == "authority":
        return authorities.get(entry.actor_id or "", "发证部门")
    return _ACTOR_LABELS.get(entry.actor_type, entry.actor_type)


def my_access_log(principal: Principal, page: int, page_size: int) -> tuple[list[AccessEntry], int]:
    s = session()
    where = (AuditEntry.action == "data.read", AuditEntry.subject_type == "account",
             AuditEntry.subject_id == str(principal.account_id))
    total = s.scalar(select(func.count()).select_from(AuditEntry).where(*where)) or 0
    rows = s.scalars(select(AuditEntry).where(*where).order_by(AuditEntry.id.desc())
                     .offset((page - 1) * page_size).limit(page_size)).all()
    authority_ids = {e.actor_id for e in rows if e.actor_type == "authority" and e.actor_id}
    authorities = dict(s.execute(select(Authority.id, Authority.name).where(Authority.id.in_(authority_ids)))
                       .tuples().all()) if authority_ids else {}
    # audience: which verifier checked a credential online
    shown = {"audience", "ticket_id", "application_id", "application_number", "client_id", "department"}
    return [AccessEntry(e.at, e.actor_type, _actor_label(e, authorities), list(e.details.get("data", [])),
                        e.details.get("purpose"), {k: v for k, v in e.details.items() if k in shown})
            for e in rows], total
