"""Acting for an entity: the one check every entity endpoint makes, on every request.

The legal representative (an open binding) holds every scope, including ``appoint_administrators``
which no grant carries. A company administrator is appointed by the representative with a grant
holding every scope plus ``manage_agents`` (to grant, list and revoke agents). An agent holds the
scopes of an unexpired, unrevoked, unsuspended grant. Anyone else, and
any code that is unknown or malformed, gets the same 404 ``not_found``: the answer never tells
whether an entity exists or who is bound to it. Each use of an agent grant is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select

from app import clock, readcache
from app.audit import log as audit_log
from app.audit.log import Actor
from app.db import session, transactional
from app.entities.lifecycle import find_entity
from app.entities.models import MANAGE_AGENTS, SCOPES, AgentGrant, Entity, RepresentativeBinding
from app.errors import NotFound
from app.sqlutil import among

APPOINT_ADMINISTRATORS = "appoint_administrators"  # the legal representative's alone
REPRESENTATIVE_SCOPES = (*SCOPES, MANAGE_AGENTS, APPOINT_ADMINISTRATORS)
ANY_SCOPE = None  # acting for the entity in any capacity (e.g. to see its register entry)


@dataclass(frozen=True)
class ActingAs:
    entity: Entity
    account_id: int
    role: str  # legal_representative | administrator | agent
    scopes: tuple[str, ...]
    grant_id: int | None = None


_OPEN_BINDING = select(RepresentativeBinding).where(  # built once, bound per call (a hot read)
    RepresentativeBinding.entity_id == bindparam("entity_id"),
    RepresentativeBinding.account_id == bindparam("account_id"), RepresentativeBinding.ended_at.is_(None))


def open_binding(entity_id: int, account_id: int) -> RepresentativeBinding | None:
    return session().scalars(_OPEN_BINDING, {"entity_id": entity_id, "account_id": account_id}).first()


def live_grants_query(now: datetime):
    return select(AgentGrant).where(AgentGrant.revoked_at.is_(None), AgentGrant.suspended_at.is_(None),
                                    AgentGrant.expires_at > now)


def require_acting(account_id: int, uscc: str, scope: str | None) -> ActingAs:
    """Who ``account_id`` is for the entity ``uscc``, if they hold ``scope``; else 404 ``not_found``.

    A read: no transaction (and on SQLite no write lock) unless an agent's use is audited."""
    entity = find_entity(uscc) if len(uscc) <= 18 else None
    if entity is None:
        raise NotFound()
    if open_binding(entity.id, account_id) is not None:
        return ActingAs(entity, account_id, "legal_representative", REPRESENTATIVE_SCOPES)
    grants = session().scalars(live_grants_query(clock.now()).where(
        AgentGrant.entity_id == entity.id, AgentGrant.agent_account_id == account_id)
        .order_by(AgentGrant.id)).all()
    grant = next((g for g in grants if scope is ANY_SCOPE or scope in g.scopes), None)
    if grant is None:
        raise NotFound()
    readcache.keep_uncached()  # a grant lapses by itself and each use is audited: never answer from a cache
    _record_agent_use(account_id, entity.uscc, grant.id, scope)
    role = "administrator" if MANAGE_AGENTS in grant.scopes else "agent"
    return ActingAs(entity, account_id, role, tuple(grant.scopes), grant.id)


@transactional
def _record_agent_use(account_id: int, uscc: str, grant_id: int, scope: str | None) -> None:
    audit_log.record("entity.agent_use", actor=Actor("resident", str(account_id)), subject_type="entity",
                     subject_id=uscc, details={"grant_id": grant_id, "scope": scope or "any"})


def accounts_acting_for(entity_id: int, scope: str) -> list[int]:
    """Accounts to reach for ``scope`` (e.g. receive_notifications): the representative and agents holding it."""
    return accounts_acting_for_many([entity_id], scope).get(entity_id, [])


def accounts_acting_for_many(entity_ids: list[int], scope: str) -> dict[int, list[int]]:
    """``accounts_acting_for`` for many entities in two column queries (push scans resolve a batch at once)."""
    s = session()
    found: dict[int, list[int]] = {}
    if not entity_ids:
        return found
    for entity_id, account_id in s.execute(select(RepresentativeBinding.entity_id, RepresentativeBinding.account_id)
                                           .where(among(RepresentativeBinding.entity_id, entity_ids),
                                                  RepresentativeBinding.ended_at.is_(None))
                                           .order_by(RepresentativeBinding.id)):
        found.setdefault(entity_id, []).append(account_id)
    grants = live_grants_query(clock.now()).with_only_columns(
        AgentGrant.entity_id, AgentGrant.agent_account_id, AgentGrant.scopes)
    for entity_id, agent_account_id, scopes in s.execute(grants.where(among(AgentGrant.entity_id, entity_ids))
                                                         .order_by(AgentGrant.id)):
        ids = found.setdefault(entity_id, [])
        if scope in scopes and agent_account_id not in ids:
            ids.append(agent_account_id)
    return found
