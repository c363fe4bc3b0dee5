"""The entity register as yss keeps it: entities, their legal representative, stage and annual reports.

Facts arrive from the market-regulation authority through intake (and, at binding, from the
registry itself). When the legal representative changes, bindings of anyone else end in the same
transaction.

Agent grants are kept when the representative changes: a grant is the entity's authorisation
(recorded with who made it), not a personal favour of the representative, and ending them would
stop the people doing the entity's paperwork the day the register changes. Each grant still
expires on its own date, and the new representative sees every grant at ``/agents`` and can
revoke any of them.

Company administrators are suspended when the representative changes: an administrator can hand
out the entity's authority, which should not outlive the person who chose them without the new
representative's say. The new one is told of every live grant and administrator when they bind
(binding.py) and reinstates or ends each administrator.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import bindparam, select

from app import clock
from app.audit import log as audit_log
from app.audit.log import Actor
from app.db import session
from app.entities import errors
from app.entities.models import (
    MANAGE_AGENTS,
    AgentGrant,
    AnnualReport,
    Entity,
    EntityStageChange,
    RepresentativeBinding,
)
from app.identity.models import Account
from app.security.keys import encrypt, lookup_hash
from app.security.masking import mask_name

REASON_REPRESENTATIVE_CHANGED = "legal_representative_changed"

# What other capabilities do when an entity is renamed, inside the renaming transaction (licences
# drops its cached public answers, which show the holder's name): registered by them, called here.
_on_renamed: list[Callable[[Entity], None]] = []


def when_renamed(listener: Callable[[Entity], None]) -> Callable[[Entity], None]:
    """Register ``listener(entity)``, called before an entity's name changes."""
    _on_renamed.append(listener)
    return listener


# Built once: a hot read binds its values instead of building the statement on every request.
_BY_USCC = select(Entity).where(Entity.uscc == bindparam("uscc"))


def find_entity(uscc: str) -> Entity | None:
    return session().scalars(_BY_USCC, {"uscc": uscc.strip().upper()}).first()


def entity_or_reject(uscc: str) -> Entity:
    entity = find_entity(uscc)
    if entity is None:
        raise errors.EntityNotFound(details={"uscc": uscc})
    return entity


def upsert_entity(*, uscc: str, name: str, type: str, registered_address: str, actor: Actor,
                  representative: tuple[str, str] | None = None, stage: str | None = None,
                  stage_since: date | None = None, authority_id: str | None = None) -> Entity:
    """Create or update an entity; ``representative`` is (name, id_number) and only its hash is kept."""
    now = clock.now()
    entity = find_entity(uscc)
    if entity is None:
        entity = Entity(uscc=uscc, name=name, type=type, registered_address=registered_address,
                        stage=stage or "operating", stage_since=stage_since, created_at=now, updated_at=now)
        session().add(entity)
        session().flush()
        session().add(EntityStageChange(entity_id=entity.id, from_stage=None, stage=entity.stage,
                                        effective_on=stage_since, reason="登记", recorded_at=now))
    else:
        if name != entity.name:
            _forget_public_answers(entity)
        entity.name, entity.type, entity.registered_address = name, type, registered_address
        entity.updated_at = now
        if stage is not None and stage != entity.stage:
            change_stage(entity, stage, stage_since, "登记信息更新")
    if entity.authority_id is None:  # its registering authority owns it (intake refuses any other)
        entity.authority_id = authority_id
    if representative is not None:
        set_representative(entity, representative[0], lookup_hash(representative[1], "id_number"), actor)
    return entity


def set_representative(entity: Entity, name: str, id_hash: str, actor: Actor) -> None:
    """Record who the legal representative is; end the bindings of anyone else."""
    entity.representative_name_enc = encrypt(name, "entity.representative_name")
    entity.representative_name_masked = mask_name(name)
    if entity.representative_id_hash == id_hash:
        return
    entity.representative_id_hash = id_hash
    now = clock.now()
    stale = session().scalars(
        select(RepresentativeBinding).join(Account, Account.id == RepresentativeBinding.account_id)
        .where(RepresentativeBinding.entity_id == entity.id, RepresentativeBinding.ended_at.is_(None),
               Account.id_number_hash.is_distinct_from(id_hash))).all()
    for binding in stale:
        binding.ended_at, binding.end_reason = now, REASON_REPRESENTATIVE_CHANGED
        audit_log.record("entity.binding_end", actor=actor, subject_type="entity", subject_id=entity.uscc,
                         details={"binding_id": binding.id, "account_id": binding.account_id,
                                  "reason": REASON_REPRESENTATIVE_CHANGED})
    _suspend_administrators(entity, actor, now)


def _suspend_administrators(entity: Entity, actor: Actor, now: datetime) -> None:
    live = session().scalars(select(AgentGrant).where(
        AgentGrant.entity_id == entity.id, AgentGrant.revoked_at.is_(None), AgentGrant.suspended_at.is_(None),
        AgentGrant.expires_at > now)).all()
    for grant in live:
        if MANAGE_AGENTS in grant.scopes:
            grant.suspended_at = now
            audit_log.record("entity.administrator_suspend", actor=actor, subject_type="entity",
                             subject_id=entity.uscc, details={"grant_id": grant.id, "agent_account_id":
                                                              grant.agent_account_id,
                                                              "reason": REASON_REPRESENTATIVE_CHANGED})


def change_stage(entity: Entity, stage: str, effective_on: date | None, reason: str | None) -> None:
    if stage == entity.stage:
        return
    if entity.stage == "deregistered":
        raise errors.StageTransitionInvalid(details={"from": entity.stage, "to": stage})
    session().add(EntityStageChange(entity_id=entity.id, from_stage=entity.stage, stage=stage,
                                    effective_on=effective_on, reason=reason, recorded_at=clock.now()))
    entity.stage, entity.stage_since, entity.updated_at = stage, effective_on, clock.now()


def upsert_annual_report(entity: Entity, year: int, status: str, submitted_on: date | None) -> AnnualReport:
    report = session().scalars(select(AnnualReport).where(AnnualReport.entity_id == entity.id,
                                                          AnnualReport.year == year)).first()
    if report is None:
        report = AnnualReport(entity_id=entity.id, year=year)
        session().add(report)
    report.status, report.submitted_on, report.updated_at = status, submitted_on, clock.now()
    session().flush()
    return report


def _forget_public_answers(entity: Entity) -> None:
    for listener in _on_renamed:
        listener(entity)
