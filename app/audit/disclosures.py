"""Recording what the data tracker shows: every read of a person's data by staff, and every
disclosure of it outside yss (a registry, WeChat, a verifier, a relying party), and yss's own
automatic processing of it.

One call, in the caller's transaction (or its own)::

    record_read(account_id, by=Actor("outside", "population_registry"), data=["name", "id_number"],
                purpose="real_name_check")

``account_id`` is the person whose data it is; ``by`` who received or read it — ``Actor("staff",
str(staff_id))``, ``Actor("authority", authority_id)``, ``Actor("verifier")``, ``Actor("system")``,
or ``Actor("outside", <recipient key>)`` for a party named under ``[recipients]`` of the data
catalogue; ``data`` and ``purpose`` are keys of the catalogue (``config/catalogues/personal_data.toml``:
an unknown key is a programming error and raises ``ValueError``, so no internal key ever reaches a
resident); ``refs`` are ids shown beside the entry (``ticket_id``, ``show_id``...) or kept for the
label (``department_id`` names a staff member's department).
"""

from __future__ import annotations

from collections.abc import Iterable

from app.audit import log as audit_log
from app.audit.data_catalogue import data_catalogue
from app.audit.log import Actor
from app.db import transactional

ACTION = "data.read"


def _checked(by: Actor, data: Iterable[str], purpose: str) -> list[str]:
    catalogue = data_catalogue()
    keys = list(dict.fromkeys(data))
    unknown = [key for key in keys if not catalogue.knows_data(key)]
    if unknown or purpose not in catalogue.purposes:
        raise ValueError(f"not in the data catalogue: {unknown or purpose}")
    if by.type == "outside" and by.id not in catalogue.recipients:
        raise ValueError(f"recipient not in the data catalogue: {by.id}")
    return keys


@transactional
def record_read(account_id: int, *, by: Actor, data: Iterable[str], purpose: str, **refs: str | int) -> None:
    _record("account", account_id, by=by, data=data, purpose=purpose, **refs)


@transactional
def record_person_read(person_id: int, *, by: Actor, data: Iterable[str], purpose: str, **refs: str | int) -> None:
    """``record_read`` for a person with no account yet (a baby a parent acts for): the entry is
    shown in their data tracker once they have one."""
    _record("person", person_id, by=by, data=data, purpose=purpose, **refs)


def _record(subject_type: str, subject_id: int, *, by: Actor, data: Iterable[str], purpose: str,
            **refs: str | int) -> None:
    keys = _checked(by, data, purpose)
    audit_log.record(ACTION, actor=by, subject_type=subject_type, subject_id=subject_id,
                     details={"data": keys, "purpose": purpose, **refs})


@transactional
def record_reads(reads: list[tuple[int, dict[str, str | int]]], *, by: Actor, data: Iterable[str],
                 purpose: str) -> None:
    """``record_read`` for many people at once, (account id, refs) each: one append to the audit log."""
    keys = _checked(by, data, purpose)
    audit_log.record_many(ACTION, actor=by, entries=[
        ("account", account_id, {"data": keys, "purpose": purpose, **refs}) for account_id, refs in reads])
