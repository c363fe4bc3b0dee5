"""An entity's own licences, for its legal representative and agents holding ``view_licences``.

The list is a hot read, cached per entity (``app.readcache``, owner ``licences_owner``) for its legal
representative (an agent's answers never are: ``require_acting``); every commit that changes the
entity, its licences, their decisions or its representative bindings invalidates it (the session
event in models.py, loaded by every process that writes them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import bindparam, select

from app import clock
from app.db import session
from app.entities.acting import require_acting
from app.errors import NotFound
from app.licences.catalogue import licence_type
from app.licences.models import Licence, LicenceStatusChange
from app.licences.register import scheduled_changes
from app.licences.status import licence_status, status_condition, window_opens
from app.paging import Page, Window, fetch_page

VIEW_LICENCES = "view_licences"


@dataclass(frozen=True)
class StatusChangeView:
    state: str
    from_state: str | None
    reason: str | None
    effective_on: date | None
    recorded_at: datetime
    status: str = "applied"  # applied | scheduled (waits for effective_on) | superseded (never applied)
    applied_at: datetime | None = None


def change_view(change: LicenceStatusChange) -> StatusChangeView:
    return StatusChangeView(change.state, change.from_state, change.reason, change.effective_on,
                            change.recorded_at, change.status, change.applied_at)


@dataclass(frozen=True)
class LicenceView:
    id: int
    number: str
    licence_type: str
    licence_type_name: str
    issuer: str
    issued_on: date
    valid_until: date | None
    status: str
    status_reason: str | None
    renewal_opens_on: date | None
    # Decisions received but dated later, in the order they take effect (the status above holds until then).
    scheduled: list[StatusChangeView] = field(default_factory=list)
    history: list[StatusChangeView] = field(default_factory=list)


def licence_view(licence: Licence, today: date, scheduled: list[LicenceStatusChange] | None = None,
                 history: list[StatusChangeView] | None = None) -> LicenceView:
    kind = licence_type(licence.type_code)
    opens = None if licence.valid_until is None else window_opens(licence.valid_until, kind.renewal_window_days)
    return LicenceView(licence.id, licence.number, kind.code, kind.name, licence.issuer, licence.issued_on,
                       licence.valid_until, licence_status(licence, today), licence.state_reason, opens,
                       [change_view(c) for c in scheduled or []], history or [])


# What ``licence_view`` and ``licence_status`` read, selected as plain columns for list pages.
LIST_COLUMNS = (Licence.id, Licence.number, Licence.type_code, Licence.issuer, Licence.issued_on, Licence.valid_until,
                Licence.state, Licence.state_reason)


_LIST = (select(*LIST_COLUMNS).where(Licence.entity_id == bindparam("entity_id"))  # built once, bound per call
         .order_by(Licence.valid_until.is_(None), Licence.valid_until, Licence.id))


def entity_licences(account_id: int, uscc: str, status: str | None, window: Window) -> Page[LicenceView]:
    entity = require_acting(account_id, uscc, VIEW_LICENCES).entity
    today = clock.today()
    statement = _LIST if not status else _LIST.where(status_condition(status, today))
    page = fetch_page(session(), statement, window, lambda licence: licence, {"entity_id": entity.id})
    scheduled = scheduled_changes([licence.id for licence in page.items]) if page.items else {}
    return Page([licence_view(licence, today, scheduled.get(licence.id)) for licence in page.items], page.total)


def entity_licence(account_id: int, uscc: str, licence_id: int) -> LicenceView:
    entity = require_acting(account_id, uscc, VIEW_LICENCES).entity
    licence = session().get(Licence, licence_id)
    if licence is None or licence.entity_id != entity.id:
        raise NotFound()
    history = session().scalars(select(LicenceStatusChange).where(LicenceStatusChange.licence_id == licence.id)
                                .order_by(LicenceStatusChange.id.desc()))
    return licence_view(licence, clock.today(), scheduled_changes([licence.id]).get(licence.id),
                        [change_view(h) for h in history])
