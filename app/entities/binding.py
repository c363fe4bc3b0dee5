"""Binding a resident as an entity's legal representative, verified with the market-regulation registry.

The registry is asked before anything is written: if it cannot answer, nothing changes (503).
It may say the code is unknown (``entity_not_found``) or name someone else
(``not_legal_representative``); both refusals are audited. A yes binds and records the binder as
the representative (ending anyone else's binding); an entity intake has not reported yet is
created from the registry's answer. A new representative who finds agents or administrators
appointed before them is told of each one (a notification through push's outbox), and can end them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app import clock
from app.audit import log as audit_log
from app.audit.disclosures import record_read
from app.audit.log import Actor
from app.db import session, transactional
from app.entities import errors, lifecycle
from app.entities.acting import REPRESENTATIVE_SCOPES, live_grants_query, open_binding
from app.entities.agents import inherited_authority
from app.entities.models import MANAGE_AGENTS, STAGES, AgentGrant, Entity, RepresentativeBinding
from app.entities.uscc import validate_uscc
from app.identity.accounts import get_account, real_name
from app.integrations import registries
from app.push.outbox import as_payload, emit


@dataclass(frozen=True)
class ActingEntry:
    entity: Entity
    role: str
    scopes: list[str]
    since: datetime
    expires_at: datetime | None = None
    grant_id: int | None = None


def bind_legal_representative(account_id: int, uscc: str) -> RepresentativeBinding:
    uscc = validate_uscc(uscc)
    account = get_account(account_id)
    identity = real_name(account)
    if identity is None:  # L3 implies a verified identity; kept as a guard
        raise errors.RealNameRequired()
    name, id_number = identity
    actor = Actor("resident", str(account_id))
    check = registries.check_legal_representative(uscc, name, id_number)
    record_read(account_id, by=Actor("outside", "market_registry"), data=["name", "id_number"],
                purpose="representative_check")
    if check is None:
        audit_log.record_failure("entity.bind", actor=actor, subject_type="entity", subject_id=uscc,
                                 outcome="entity_not_found")
        raise errors.EntityNotFound("登记机关未查到该统一社会信用代码")
    if not check.is_legal_representative:
        audit_log.record_failure("entity.bind", actor=actor, subject_type="entity", subject_id=uscc,
                                 outcome="not_legal_representative")
        raise errors.NotLegalRepresentative()
    details = registries.market_entity(uscc) or {}
    return _bind(account_id, uscc, check, details, name, actor)


@transactional
def _bind(account_id: int, uscc: str, check: registries.RepresentativeCheck, details: dict,
          name: str, actor: Actor) -> RepresentativeBinding:
    entity = lifecycle.find_entity(uscc)
    if entity is None:  # not yet reported by intake; start from what the registry said (intake stays the source)
        entity = lifecycle.upsert_entity(uscc=uscc, name=check.entity_name, type=details.get("type") or "未知",
                                         registered_address=details.get("registered_address") or "", actor=actor,
                                         stage=check.status if check.status in STAGES else None)
    lifecycle.set_representative(entity, name, get_account(account_id).id_number_hash or "", actor)
    binding = open_binding(entity.id, account_id)
    if binding is None:
        binding = RepresentativeBinding(entity_id=entity.id, account_id=account_id, started_at=clock.now())
        session().add(binding)
        session().flush()
        audit_log.record("entity.bind", actor=actor, subject_type="entity", subject_id=uscc,
                         details={"binding_id": binding.id})
        _tell_of_inherited_authority(entity, binding)
    return binding


def _tell_of_inherited_authority(entity: Entity, binding: RepresentativeBinding) -> None:
    """The "you are now the legal representative" notice, naming every live agent and administrator
    someone else appointed; it fires once per binding, if and only if the binding commits."""
    agents, administrators = inherited_authority(entity.id, binding.account_id)
    if not agents and not administrators:
        return
    facts = {"event.id": binding.id, "entity.id": entity.id, "entity.name": entity.name, "entity.uscc": entity.uscc,
             "event.agents": "；".join(agents) or "无", "event.administrators": "；".join(administrators) or "无"}
    emit("entity.representative_changed", {"facts": as_payload(facts), "account_ids": [binding.account_id]})


def entities_i_act_for(account_id: int) -> list[ActingEntry]:
    s = session()
    entries = [ActingEntry(entity, "legal_representative", list(REPRESENTATIVE_SCOPES), binding.started_at)
               for binding, entity in s.execute(
                   select(RepresentativeBinding, Entity).join(Entity, Entity.id == RepresentativeBinding.entity_id)
                   .where(RepresentativeBinding.account_id == account_id, RepresentativeBinding.ended_at.is_(None))
                   .order_by(RepresentativeBinding.id))]
    for grant, entity in s.execute(
            live_grants_query(clock.now()).add_columns(Entity).join(Entity, Entity.id == AgentGrant.entity_id)
            .where(AgentGrant.agent_account_id == account_id).order_by(AgentGrant.id)):
        role = "administrator" if MANAGE_AGENTS in grant.scopes else "agent"
        entries.append(ActingEntry(entity, role, list(grant.scopes), grant.created_at, grant.expires_at, grant.id))
    return entries
