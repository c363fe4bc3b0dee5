"""Agents (经办人) and company administrators (企业管理员): scoped, expiring authority given to
another verified resident.

The legal representative appoints administrators (``appoint_administrators``, which no grant
carries); an administrator's grant holds every scope plus ``manage_agents``, so the representative
and administrators grant, list and revoke agents, while an agent cannot pass authority on and an
administrator cannot appoint another. When the representative changes, administrators are suspended
until the new one reinstates or ends them (lifecycle.set_representative). Grants, uses (see
acting.py), revocations, suspensions and reinstatements are audited; people are identified by their
ID number, looked up through its blind index.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app import clock
from app.audit import log as audit_log
from app.audit.log import Actor
from app.db import session, transactional
from app.entities import errors
from app.entities.acting import (
    APPOINT_ADMINISTRATORS,
    MANAGE_AGENTS,
    open_binding,
    require_acting,
)
from app.entities.models import SCOPES, AgentGrant
from app.errors import NotFound
from app.identity.accounts import find_by_id_number, get_account, real_name
from app.identity.models import L2
from app.identity.sessions import l3_max_age
from app.security.masking import mask_id_number, mask_name

MAX_GRANT = timedelta(days=3 * 366)


@dataclass(frozen=True)
class GrantView:
    id: int
    agent_name: str
    agent_id_number: str
    scopes: list[str]
    status: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


def _view(grant: AgentGrant) -> GrantView:
    identity = real_name(get_account(grant.agent_account_id)) or ("", "")
    return GrantView(grant.id, mask_name(identity[0]), mask_id_number(identity[1]), list(grant.scopes),
                     grant.status(clock.now()), grant.created_at, grant.expires_at, grant.revoked_at)


def _is_administrator(grant: AgentGrant) -> bool:
    return MANAGE_AGENTS in grant.scopes


@transactional
def grant_agent(account_id: int, uscc: str, agent_id_number: str, scopes: list[str],
                expires_at: datetime) -> GrantView:
    require_acting(account_id, uscc, MANAGE_AGENTS)
    if not scopes or any(scope not in SCOPES for scope in scopes):
        raise errors.ScopeInvalid(details={"allowed": list(SCOPES)})
    return _grant(account_id, uscc, agent_id_number, sorted(set(scopes), key=SCOPES.index), expires_at,
                  MANAGE_AGENTS, "entity.agent_grant")


@transactional
def appoint_administrator(account_id: int, uscc: str, id_number: str, expires_at: datetime) -> GrantView:
    """A company administrator: every scope plus managing agents, appointed by the legal representative."""
    return _grant(account_id, uscc, id_number, [*SCOPES, MANAGE_AGENTS], expires_at, APPOINT_ADMINISTRATORS,
                  "entity.administrator_appoint")


def _grant(account_id: int, uscc: str, agent_id_number: str, scopes: list[str], expires_at: datetime,
           needed: str, action: str) -> GrantView:
    acting = require_acting(account_id, uscc, needed)
    now = clock.now()
    if not now < expires_at <= now + MAX_GRANT:
        raise errors.ExpiryInvalid()
    agent = find_by_id_number(agent_id_number.strip().upper())
    if agent is None or agent.level(now, l3_max_age()) < L2:
        raise errors.AgentNotVerified()
    if agent.id == account_id or open_binding(acting.entity.id, agent.id) is not None:
        raise errors.AgentIsRepresentative()
    existing = session().scalars(select(AgentGrant).where(  # a suspended administrator counts: reinstate or end
        AgentGrant.entity_id == acting.entity.id, AgentGrant.agent_account_id == agent.id,
        AgentGrant.revoked_at.is_(None), AgentGrant.expires_at > now)).first()
    if existing is not None:
        raise errors.AgentAlreadyGranted(details={"grant_id": existing.id})
    grant = AgentGrant(entity_id=acting.entity.id, agent_account_id=agent.id, granted_by_account_id=account_id,
                       scopes=scopes, created_at=now, expires_at=expires_at)
    session().add(grant)
    session().flush()
    audit_log.record(action, actor=Actor("resident", str(account_id)), subject_type="entity",
                     subject_id=acting.entity.uscc,
                     details={"grant_id": grant.id, "agent_account_id": agent.id, "scopes": grant.scopes,
                              "expires_at": expires_at.isoformat()})
    return _view(grant)


def _grants_of(entity_id: int, administrators: bool) -> list[GrantView]:
    grants = session().scalars(select(AgentGrant).where(AgentGrant.entity_id == entity_id)
                               .order_by(AgentGrant.id.desc()))
    return [_view(grant) for grant in grants if _is_administrator(grant) == administrators]


@transactional
def list_grants(account_id: int, uscc: str) -> list[GrantView]:
    return _grants_of(require_acting(account_id, uscc, MANAGE_AGENTS).entity.id, administrators=False)


@transactional
def list_administrators(account_id: int, uscc: str) -> list[GrantView]:
    return _grants_of(require_acting(account_id, uscc, APPOINT_ADMINISTRATORS).entity.id, administrators=True)


def _grant_of(account_id: int, uscc: str, grant_id: int, administrators: bool) -> tuple[AgentGrant, str]:
    acting = require_acting(account_id, uscc, APPOINT_ADMINISTRATORS if administrators else MANAGE_AGENTS)
    grant = session().get(AgentGrant, grant_id)
    if grant is None or grant.entity_id != acting.entity.id or _is_administrator(grant) != administrators:
        raise NotFound()
    return grant, acting.entity.uscc


@transactional
def revoke_grant(account_id: int, uscc: str, grant_id: int) -> None:
    _revoke(account_id, *_grant_of(account_id, uscc, grant_id, administrators=False), "entity.agent_revoke")


@transactional
def end_administrator(account_id: int, uscc: str, grant_id: int) -> None:
    _revoke(account_id, *_grant_of(account_id, uscc, grant_id, administrators=True), "entity.administrator_end")


@transactional
def reinstate_administrator(account_id: int, uscc: str, grant_id: int) -> GrantView:
    """The new legal representative keeps an administrator suspended by the change of representative."""
    grant, entity_uscc = _grant_of(account_id, uscc, grant_id, administrators=True)
    if grant.status(clock.now()) != "suspended":
        raise errors.AdministratorNotSuspended(details={"status": grant.status(clock.now())})
    grant.suspended_at = None
    audit_log.record("entity.administrator_reinstate", actor=Actor("resident", str(account_id)),
                     subject_type="entity", subject_id=entity_uscc,
                     details={"grant_id": grant.id, "agent_account_id": grant.agent_account_id})
    return _view(grant)


def _revoke(account_id: int, grant: AgentGrant, entity_uscc: str, action: str) -> None:
    if grant.revoked_at is not None:
        return
    grant.revoked_at, grant.revoked_by_account_id = clock.now(), account_id
    audit_log.record(action, actor=Actor("resident", str(account_id)), subject_type="entity",
                     subject_id=entity_uscc,
                     details={"grant_id": grant.id, "agent_account_id": grant.agent_account_id})


def inherited_authority(entity_id: int, account_id: int) -> tuple[list[str], list[str]]:
    """Live agents and administrators (suspended ones included) appointed by someone other than
    ``account_id``, each as "masked name（until date[, suspended]）" for the new representative's notice."""
    now = clock.now()
    agents: list[str] = []
    administrators: list[str] = []
    for grant in session().scalars(select(AgentGrant).where(
            AgentGrant.entity_id == entity_id, AgentGrant.revoked_at.is_(None), AgentGrant.expires_at > now,
            AgentGrant.granted_by_account_id.is_distinct_from(account_id)).order_by(AgentGrant.id)):
        view = _view(grant)
        until = view.expires_at.astimezone(clock.local_tz()).date().isoformat()
        note = "，已暂停待您确认" if view.status == "suspended" else ""
        (administrators if _is_administrator(grant) else agents).append(f"{view.agent_name}（至{until}{note}）")
    return agents, administrators
