"""Agents (经办人): scoped, expiring authority the legal representative gives another verified resident.

Only the legal representative may grant, list and revoke (the ``manage_agents`` scope no grant
carries), so an agent cannot pass authority on. Grants, uses (see acting.py) and revocations are
audited; agents are identified by their ID number, looked up through its blind index.
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
from app.entities.acting import MANAGE_AGENTS, live_grants_query, open_binding, require_acting
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


@transactional
def grant_agent(account_id: int, uscc: str, agent_id_number: str, scopes: list[str],
                expires_at: datetime) -> GrantView:
    acting = require_acting(account_id, uscc, MANAGE_AGENTS)
    now = clock.now()
    if not scopes or any(scope not in SCOPES for scope in scopes):
        raise errors.ScopeInvalid(details={"allowed": list(SCOPES)})
    if not now < expires_at <= now + MAX_GRANT:
        raise errors.ExpiryInvalid()
    agent = find_by_id_number(agent_id_number.strip().upper())
    if agent is None or agent.level(now, l3_max_age()) < L2:
        raise errors.AgentNotVerified()
    if agent.id == account_id or open_binding(acting.entity.id, agent.id) is not None:
        raise errors.AgentIsRepresentative()
    existing = session().scalars(live_grants_query(now).where(
        AgentGrant.entity_id == acting.entity.id, AgentGrant.agent_account_id == agent.id)).first()
    if existing is not None:
        raise errors.AgentAlreadyGranted(details={"grant_id": existing.id})
    grant = AgentGrant(entity_id=acting.entity.id, agent_account_id=agent.id, granted_by_account_id=account_id,
                       scopes=sorted(set(scopes), key=SCOPES.index), created_at=now, expires_at=expires_at)
    session().add(grant)
    session().flush()
    audit_log.record("entity.agent_grant", actor=Actor("resident", str(account_id)), subject_type="entity",
                     subject_id=acting.entity.uscc,
                     details={"grant_id": grant.id, "agent_account_id": agent.id, "scopes": grant.scopes,
                              "expires_at": expires_at.isoformat()})
    return _view(grant)


@transactional
def list_grants(account_id: int, uscc: str) -> list[GrantView]:
    acting = require_acting(account_id, uscc, MANAGE_AGENTS)
    grants = session().scalars(select(AgentGrant).where(AgentGrant.entity_id == acting.entity.id)
                               .order_by(AgentGrant.id.desc()))
    return [_view(grant) for grant in grants]


@transactional
def revoke_grant(account_id: int, uscc: str, grant_id: int) -> None:
    acting = require_acting(account_id, uscc, MANAGE_AGENTS)
    grant = session().get(AgentGrant, grant_id)
    if grant is None or grant.entity_id != acting.entity.id:
        raise NotFound()
    if grant.revoked_at is not None:
        return
    grant.revoked_at, grant.revoked_by_account_id = clock.now(), account_id
    audit_log.record("entity.agent_revoke", actor=Actor("resident", str(account_id)), subject_type="entity",
                     subject_id=acting.entity.uscc,
                     details={"grant_id": grant.id, "agent_account_id": grant.agent_account_id})
