"""Drafts: created prefilled from what the government holds, edited, given their materials.

One open draft per applicant, service and company: asking again resumes it. On creation every
field with a prefill source is filled with its value and where it came from; every material held
as an e-certificate, a company licence or a profile fact is attached by reference (免提交). The
applicant may change self-declared fields (phone, mailing address) and type the rest; authoritative
ones (name, ID number, birth date, USCC…) are refused with ``field_locked``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import clock
from app.applications import errors
from app.applications.access import applicant_application
from app.applications.guides import ENTITY, PERSON, Guide, find_guide
from app.applications.holdings import Holdings, child_of, guide_needs_child
from app.applications.models import Application, ApplicationEvent
from app.certificates.models import Certificate
from app.certificates.wallet import EXPIRING, VALID, status_of
from app.db import session, transactional
from app.entities.acting import require_acting
from app.identity.errors import LevelRequired
from app.identity.sessions import Principal
from app.licences.models import Licence
from app.licences.status import licence_status
from app.people.models import LifeEvent, Person
from app.people.persons import person_of_account
from app.staff.models import Service

APPLY_SERVICES = "apply_services"
EDITABLE_STATES = ("draft", "supplement_requested")
USABLE = (VALID, EXPIRING)


def number_for(application: Application) -> str:
    return f"YSS-{application.created_at.astimezone(clock.local_tz()).year}-{application.id:06d}"


def _draft_key(account_id: int, service_code: str, uscc: str | None, subject_id: int | None) -> str:
    return f"{account_id}:{service_code}:{uscc or '-'}:{subject_id or '-'}"


def require_guide(code: str) -> Guide:
    guide = find_guide(code) if isinstance(code, str) else None
    if guide is None:
        raise errors.GuideNotFound()
    return guide


def applicant_context(principal: Principal, guide: Guide, entity_uscc: str | None,
                      child_person_id: int | None = None, life_event_id: int | None = None) -> Holdings:
    """Check the caller may apply (level, person or company) and read what is held for the case."""
    if principal.level < guide.level:
        raise LevelRequired(f"申请“{guide.name}”需要先完成认证（L{guide.level}）",
                            details={"required_level": guide.level, "current_level": principal.level})
    entity = None
    if entity_uscc is not None:
        if guide.applicant == PERSON:
            raise errors.ApplicantNotEligible()
        entity = require_acting(principal.account_id, entity_uscc, APPLY_SERVICES).entity
    elif guide.applicant == ENTITY:
        raise errors.ApplicantNotEligible("该事项须以企业身份申请，请选择企业", details={"applicant": ENTITY})
    person = session().scalars(select(Person).where(Person.account_id == principal.account_id)).first()
    child = None
    if life_event_id is not None:
        event = session().get(LifeEvent, life_event_id) if 0 < life_event_id < 2**31 else None
        child = child_of(person, event.person_id) if event is not None and event.type == "birth" else None
        if child is None:
            raise errors.ApplicationNotFound("出生记录不存在，或不是您子女的", code="birth_record_not_found")
    elif guide_needs_child(guide) or child_person_id is not None:
        child = child_of(person, child_person_id)
        if child_person_id is not None and child is None:
            raise errors.ApplicationNotFound("子女记录不存在", code="child_not_found")
    return Holdings.read(principal.account_id, person, child, entity)


def prefill(guide: Guide, held: Holdings) -> dict[str, dict[str, Any]]:
    form = {}
    for spec in guide.fields:
        value = held.value(spec.source) if spec.source else None
        form[spec.key] = {"value": value.value if value else None, "source": spec.source if value else None,
                          "source_label": value.source_label if value else None,
                          "prefilled": value is not None, "typed": False}
    return form


def attach_held(guide: Guide, held: Holdings) -> dict[str, dict[str, Any]]:
    """免提交: each material the government holds, attached by reference."""
    materials: dict[str, dict[str, Any]] = {}
    for spec in guide.materials:
        if spec.by == "certificate":
            cert = held.certificate(spec.type or "")
            if cert is not None and status_of(cert) in USABLE:
                materials[spec.code] = {"certificate_id": cert.id}
        elif spec.by == "licence":
            licence = held.licence(spec.type or "")
            if licence is not None and licence_status(licence, clock.today()) in USABLE:
                materials[spec.code] = {"licence_id": licence.id}
        elif spec.by == "fact":
            value = held.value(spec.source or "")
            if value is not None:
                materials[spec.code] = {"fact": value.source_label}
    return materials


def counts(form: dict[str, dict[str, Any]]) -> tuple[int, int]:
    prefilled = sum(1 for entry in form.values() if entry.get("prefilled"))
    typed = sum(1 for entry in form.values() if entry.get("typed"))
    return prefilled, typed


@transactional
def create_draft(principal: Principal, service_code: str, *, entity_uscc: str | None = None,
                 child_person_id: int | None = None, life_event_id: int | None = None,
                 origin: str | None = None) -> Application:
    """A prefilled draft of ``service_code``; the open one if there is one already (resumable)."""
    guide = require_guide(service_code)
    held = applicant_context(principal, guide, entity_uscc, child_person_id, life_event_id)
    uscc = held.entity.uscc if held.entity else None
    subject_id = held.child.id if held.child else None
    key = _draft_key(principal.account_id, guide.code, uscc, subject_id)
    existing = session().scalars(select(Application).where(Application.open_draft_key == key)).first()
    if existing is not None:
        return existing
    service = session().scalars(select(Service).where(Service.code == guide.code)).first()
    if service is None:
        raise errors.GuideNotFound("该事项暂未开通网上办理", code="guide_not_found")
    now = clock.now()
    form = prefill(guide, held)
    prefilled, typed = counts(form)
    application = Application(
        service_code=guide.code, service_id=service.id, department_id=service.department_id,
        applicant_account_id=principal.account_id, entity_uscc=uscc, subject_person_id=subject_id,
        state="draft", open_draft_key=key, origin=(origin or None) and origin[:80], form=form,
        materials=attach_held(guide, held), prefilled_count=prefilled, typed_count=typed,
        created_at=now, updated_at=now)
    try:
        with session().begin_nested():  # a double tap: the second finds the first's draft
            session().add(application)
            session().flush()
    except IntegrityError:
        existing = session().scalars(select(Application).where(Application.open_draft_key == key)).first()
        if existing is None:
            raise
        return existing
    application.number = number_for(application)
    session().add(ApplicationEvent(application_id=application.id, at=now, actor_type="applicant",
                                   actor_id=str(principal.account_id), kind="created", to_state="draft",
                                   details={"prefilled": prefilled, "origin": application.origin}))
    return application


def _check_value(guide: Guide, key: str, value: Any) -> str | None:
    spec = guide.field(key)
    if spec is None:
        raise errors.FormInvalid("表单没有此项", details={"field": key})
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise errors.FormInvalid(f"“{spec.label}”须为文字", details={"field": key})
    value = value.strip()
    if len(value) > spec.max_length:
        raise errors.FormInvalid(f"“{spec.label}”最多{spec.max_length}字", details={"field": key})
    if spec.kind == "choice" and value not in spec.choices:
        raise errors.FormInvalid(f"“{spec.label}”须为所列选项之一",
                                 details={"field": key, "choices": list(spec.choices)})
    if spec.kind == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            raise errors.FormInvalid(f"“{spec.label}”须为日期（YYYY-MM-DD）", details={"field": key}) from None
    return value


@transactional
def update_form(principal: Principal, application_id: int, values: dict[str, Any]) -> Application:
    """Set the fields the applicant may type or change; an authoritative one is ``field_locked``."""
    application = applicant_application(principal.account_id, application_id, lock=True)
    if application.state not in EDITABLE_STATES:
        raise errors.ApplicationIllegalTransition("edit", application.state)
    guide = require_guide(application.service_code)
    form = {k: dict(v) for k, v in (application.form or {}).items()}
    for key, raw in values.items():
        value = _check_value(guide, key, raw)
        spec = guide.field(key)
        if spec.authoritative and form.get(key, {}).get("prefilled"):
            if value != form[key].get("value"):
                raise errors.FieldLocked(details={"field": key, "source_label": form[key].get("source_label")})
            continue
        if spec.authoritative and spec.source is not None:
            raise errors.FieldLocked("该项须由发证或登记部门提供，暂无记录，请联系相关部门",
                                     details={"field": key})
        entry = form.setdefault(key, {})
        if entry.get("value") == value:
            continue
        entry.update(value=value, prefilled=False, typed=value is not None,
                     source=None, source_label="本人填写" if value is not None else None)
    application.form = form
    application.prefilled_count, application.typed_count = counts(form)
    application.updated_at = clock.now()
    return application


@transactional
def attach_certificate(principal: Principal, application_id: int, material_code: str, *,
                       certificate_id: int | None = None, licence_id: int | None = None) -> Application:
    """Attach a held e-certificate (or the company's licence) to a material, by reference."""
    application = applicant_application(principal.account_id, application_id, lock=True)
    if application.state not in EDITABLE_STATES:
        raise errors.ApplicationIllegalTransition("attach", application.state)
    guide = require_guide(application.service_code)
    spec = guide.material(material_code)
    if spec is None:
        raise errors.MaterialUnknown(details={"material": material_code})
    entry: dict[str, Any]
    if spec.by == "certificate" and certificate_id is not None:
        person = person_of_account(principal.account_id)
        cert = session().get(Certificate, certificate_id) if 0 < certificate_id < 2**31 else None
        if cert is None or cert.holder_id != person.id or cert.type != spec.type or status_of(cert) not in USABLE:
            raise errors.CertificateNotUsable(details={"material": material_code})
        entry = {"certificate_id": cert.id}
    elif spec.by == "licence" and licence_id is not None and application.entity_uscc:
        licence = session().get(Licence, licence_id) if 0 < licence_id < 2**31 else None
        entity = require_acting(principal.account_id, application.entity_uscc, APPLY_SERVICES).entity
        if licence is None or licence.entity_id != entity.id or licence.type_code != spec.type \
                or licence_status(licence, clock.today()) not in USABLE:
            raise errors.CertificateNotUsable("所引用的许可证不存在、不属于该企业，或已失效",
                                              details={"material": material_code})
        entry = {"licence_id": licence.id}
    else:
        raise errors.MaterialNotAttachable(details={"material": material_code, "by": spec.by})
    materials = {k: dict(v) for k, v in (application.materials or {}).items()}
    materials[material_code] = entry
    application.materials = materials
    application.updated_at = clock.now()
    return application


def check_materials(application: Application, guide: Guide) -> list[dict[str, Any]]:
    """Materials that are missing, or whose certificate or licence is no longer current."""
    problems = []
    today = clock.today()
    for spec in guide.materials:
        entry = (application.materials or {}).get(spec.code, {})
        if entry.get("certificate_id"):
            cert = session().get(Certificate, entry["certificate_id"])
            status = status_of(cert, today) if cert is not None else "missing"
            if status not in USABLE:
                problems.append({"material": spec.code, "name": spec.name, "problem": status})
        elif entry.get("licence_id"):
            licence = session().get(Licence, entry["licence_id"])
            status = licence_status(licence, today) if licence is not None else "missing"
            if status not in USABLE:
                problems.append({"material": spec.code, "name": spec.name, "problem": status})
        elif not (entry.get("upload_id") or entry.get("fact")) and spec.required:
            problems.append({"material": spec.code, "name": spec.name, "problem": "missing"})
    return problems


def check_form(application: Application, guide: Guide) -> list[dict[str, Any]]:
    return [{"field": spec.key, "label": spec.label, "problem": "missing"} for spec in guide.fields
            if spec.required and not (application.form or {}).get(spec.key, {}).get("value")]
