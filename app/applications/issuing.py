"""Issuing an approved application's result: the e-certificate into the applicant's wallet, or the
licence into the company's licences, through authority intake itself (``app.intake.batches``), as
the owning department's authority, with intake's ownership checks: a renewal replaces the document
only if that department issued it, and a renewed certificate under a new number revokes the old one
in the same batch (换领). The certificate is then in the wallet and can be shown at once.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from sqlalchemy import select

from app import clock
from app.applications import errors
from app.applications.guides import Guide, guides
from app.applications.models import Application
from app.certificates.catalogue import certificate_type
from app.certificates.models import Certificate
from app.certificates.wallet import find_certificate
from app.db import session
from app.intake.authorities import find_authority, register_authority
from app.intake.batches import ingest_batch
from app.intake.models import Authority
from app.people.models import Person
from app.people.persons import person_id_number, person_name
from app.security.keys import decrypt
from app.staff.models import Department


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def department_authority(department_id: int) -> Authority:
    """The owning department as an issuing authority: the one registered under its code, or, the
    first time a result is issued, registered for the document types its guides issue."""
    department = session().get(Department, department_id)
    authority = find_authority(department.code)
    if authority is None and session().get(Authority, department.code) is None:
        documents = sorted({f"{g.result.kind}:{g.result.type}" for g in guides().values()
                            if g.department_code == department.code and g.result.type})
        register_authority(department.code, department.name, documents)
        authority = find_authority(department.code)
    if authority is None:
        raise errors.IssuingFailed("发证部门的签发资格已停用", details={"authority": department.code})
    return authority


def issue_result(application: Application, guide: Guide) -> dict[str, Any]:
    """The result the applicant receives; for a certificate or licence, issued through intake."""
    result = guide.result
    if result.kind == "decision":
        return {"kind": "decision", "text": f"准予办理：{guide.name}"}
    today = clock.today()
    valid_until = _years_later(today, result.valid_years) if result.valid_years else None
    if result.kind == "certificate":
        holder = session().scalars(select(Person).where(Person.account_id == application.applicant_account_id)).one()
        id_number = person_id_number(holder)
        kind = certificate_type(result.type or "")
        # A resident ID card is numbered by the ID number itself: the renewal replaces the old card.
        # The link to the application is the intake record's id and the application's result, never
        # a field of the certificate (its fields are claims the holder may disclose).
        number = id_number if kind.code == "resident_id_card" else _new_number(application)
        record = {"type": "certificate", "id": f"{application.number}", "version": 1,
                  "data": {"type": kind.code, "number": number, "holder_id_number": id_number,
                           "holder_name": person_name(holder) or "", "issuer": guide.department_name,
                           "issued_on": today.isoformat(),
                           "expires_on": None if kind.lifelong else (valid_until or today).isoformat()}}
    else:
        number = _licence_number(application, guide)
        record = {"type": "licence", "id": f"{application.number}", "version": 1,
                  "data": {"number": number, "type": result.type, "uscc": application.entity_uscc,
                           "issuer": guide.department_name, "issued_on": today.isoformat(),
                           "valid_until": valid_until and valid_until.isoformat()}}
    authority = department_authority(application.department_id)
    records = [record, *(_superseded(application, guide, number) if result.kind == "certificate" else [])]
    for outcome in ingest_batch(authority, records):
        if outcome.status not in ("accepted", "unchanged"):
            raise errors.IssuingFailed(details={"reason": outcome.reason, **outcome.details})
    issued: dict[str, Any] = {"kind": result.kind, "type": result.type, "number_masked": _mask(number),
                              "valid_until": valid_until and valid_until.isoformat(), "authority": authority.id}
    if result.kind == "certificate":
        cert = find_certificate(result.type or "", number)
        issued["certificate_id"] = cert.id if cert else None
    else:
        from app.licences.register import find_licence

        licence = find_licence(number)
        issued["licence_id"] = licence.id if licence else None
    return issued


def _superseded(application: Application, guide: Guide, number: str) -> list[dict[str, Any]]:
    """换领: the certificate of the result's type attached as a material, under another number, is
    revoked by the same authority in the same batch (the same number is replaced in place)."""
    if not guide.result.renews:
        return []
    records = []
    for spec in guide.materials:
        entry = (application.materials or {}).get(spec.code, {})
        if spec.by != "certificate" or spec.type != guide.result.type or not entry.get("certificate_id"):
            continue
        old = session().get(Certificate, entry["certificate_id"])
        old_number = decrypt(old.number_enc, "certificate.number") if old is not None else number
        if old is not None and old.revoked_at is None and old_number != number:
            records.append({"type": "certificate_status", "id": f"{application.number}:supersedes:{old.id}",
                            "version": 1, "data": {"type": old.type, "number": old_number, "status": "revoked",
                                                   "reason": f"已换领新证（办件 {application.number}）"}})
    return records


def _new_number(application: Application) -> str:
    return f"{application.number.replace('-', '')}{secrets.randbelow(100):02d}"


def _licence_number(application: Application, guide: Guide) -> str:
    """延续 keeps the licence's number; a new licence gets one of its own."""
    if guide.result.renews:
        for spec in guide.materials:
            entry = (application.materials or {}).get(spec.code, {})
            if spec.by == "licence" and spec.type == guide.result.type and entry.get("licence_id"):
                from app.licences.models import Licence

                return session().get(Licence, entry["licence_id"]).number
    return f"YSS{application.id:010d}"


def _mask(number: str) -> str:
    return number[:1] + "*" * max(0, len(number) - 2) + number[-1:] if len(number) > 2 else "**"
