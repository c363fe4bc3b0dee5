"""Subscribe-message consent per person and template.

What the client reports from ``wx.requestSubscribeMessage`` and what WeChat pushes to our message
endpoint both land here. One-time templates hold credits: each ``accept`` adds one and each send
spends one with a conditional UPDATE (``credits > 0``), so two workers cannot spend the same one.
Long-term templates send while the consent stands. ``ban`` (switched off in settings) stops both
until the next ``accept``.
"""

from __future__ import annotations

from sqlalchemy import select, update

from app import clock
from app.db import session, transactional
from app.identity.accounts import find_by_openid
from app.push import errors
from app.push.models import Consent
from app.push.rules import load_templates, rules
from app.push.why import why_catalogue
from app.sqlutil import among, insert_ignoring_conflicts


def template_kinds() -> dict[str, str]:
    """WeChat template id → one_time | long_term, for every template our rules bind."""
    from app.push.rules import load_templates

    return {t.template_id: t.kind for t in load_templates().values()} | {
        r.template.template_id: r.template.kind for r in rules().values() if r.template}


def _row(account_id: int, template_id: str) -> None:
    insert_ignoring_conflicts(Consent, [{"account_id": account_id, "template_id": template_id, "status": "none",
                                         "credits": 0, "source": "client", "updated_at": clock.now()}],
                              ("account_id", "template_id"))


def _apply(account_id: int, template_id: str, status: str, source: str) -> None:
    if status == "filter":
        return  # WeChat filtered the template out of the dialog: nothing was decided
    kind = template_kinds().get(template_id)
    if kind is None:
        raise errors.UnknownTemplate(details={"template_id": template_id})
    _row(account_id, template_id)
    values: dict = {"status": status, "source": source, "updated_at": clock.now()}
    if status == "accept" and kind == "one_time":
        values["credits"] = Consent.credits + 1
    session().execute(update(Consent).where(Consent.account_id == account_id,
                                            Consent.template_id == template_id).values(**values))


@transactional
def record_client_results(account_id: int, results: dict[str, str]) -> list[dict]:
    """The client's ``wx.requestSubscribeMessage`` answers: {template_id: accept|reject|ban|filter}."""
    for template_id, status in results.items():
        _apply(account_id, template_id, status, "client")
    return my_consents(account_id)


def my_consents(account_id: int) -> list[dict]:
    kinds = template_kinds()
    rows = session().scalars(select(Consent).where(Consent.account_id == account_id).order_by(Consent.id))
    return [{"template_id": c.template_id, "kind": kinds.get(c.template_id, "one_time"), "status": c.status,
             "credits": c.credits if kinds.get(c.template_id) == "one_time" else None,
             "updated_at": c.updated_at} for c in rows]


# How WeChat's pushed event statuses map onto consent (subscribe_msg_change_event "reject" means
# the user switched the template off in settings, i.e. a ban).
_EVENT_STATUS = {"subscribe_msg_popup_event": {"accept": "accept", "reject": "reject"},
                 "subscribe_msg_change_event": {"accept": "accept", "reject": "ban"}}


@transactional
def apply_wechat_event(openid: str, event: str, items: list[dict]) -> int:
    """Apply a pushed consent event; returns how many items changed consent."""
    mapping = _EVENT_STATUS.get(event)
    account = find_by_openid(openid) if mapping else None
    if account is None:
        return 0
    account_id = account.id
    changed = 0
    kinds = template_kinds()
    for item in items:
        status = mapping.get(str(item.get("SubscribeStatusString", "")))
        template_id = str(item.get("TemplateId", ""))
        if status and template_id in kinds:
            _apply(account_id, template_id, status, "wechat_event")
            changed += 1
    return changed


def usable(account_ids: list[int], template_id: str, kind: str) -> set[int]:
    """Which of ``account_ids`` may be sent ``template_id`` now."""
    if not account_ids:
        return set()
    stmt = select(Consent.account_id).where(among(Consent.account_id, account_ids), Consent.template_id == template_id)
    stmt = stmt.where(Consent.credits > 0, Consent.status != "ban") if kind == "one_time" else stmt.where(
        Consent.status == "accept")
    return set(session().scalars(stmt))


def standing(pairs: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """Which (account, long-term template) pairs hold an accepted consent, in one query."""
    if not pairs:
        return set()
    rows = session().execute(select(Consent.account_id, Consent.template_id).where(
        Consent.account_id.in_({a for a, _t in pairs}), Consent.template_id.in_({t for _a, t in pairs}),
        Consent.status == "accept"))
    return {(a, t) for a, t in rows} & pairs


def spend_credit(account_id: int, template_id: str, kind: str) -> bool:
    """Take the right to send one message, atomically; False when there is none."""
    where = [Consent.account_id == account_id, Consent.template_id == template_id]
    if kind != "one_time":
        return session().scalar(select(Consent.id).where(*where, Consent.status == "accept")) is not None
    result = session().execute(update(Consent).where(*where, Consent.credits > 0, Consent.status != "ban")
                               .values(credits=Consent.credits - 1))
    return result.rowcount == 1


def refund_credit(account_id: int, template_id: str, kind: str) -> None:
    """WeChat refused before sending (busy, bad value…): the credit was not used."""
    if kind == "one_time":
        session().execute(update(Consent).where(Consent.account_id == account_id, Consent.template_id == template_id)
                          .values(credits=Consent.credits + 1))


def consent_gone(account_id: int, template_id: str) -> None:
    """WeChat answered 43101: whatever we believed, there is no usable consent."""
    session().execute(update(Consent).where(Consent.account_id == account_id, Consent.template_id == template_id)
                      .values(credits=0, status="reject", source="send_result", updated_at=clock.now()))


def subscribable(account_id: int) -> list[dict]:
    """Every subscribe template a page may ask for with wx.requestSubscribeMessage: its title (as the
    resident reads it), kind, and my answer so far (``status`` None: never asked)."""
    mine = {c["template_id"]: c for c in my_consents(account_id)}
    titles = why_catalogue().templates
    return [{"key": t.key, "template_id": t.template_id, "kind": t.kind, "title": titles.get(t.key, t.key),
             "status": mine.get(t.template_id, {}).get("status"),
             "credits": mine.get(t.template_id, {}).get("credits")} for t in load_templates().values()]
