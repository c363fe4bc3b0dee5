"""What the government already holds about an applicant: the values a form is prefilled from, the
documents a material is satisfied by, and the authoritative facts a 秒批 rule tests.

``Holdings`` is read once per use case (the person, their addresses and certificates, the child
the case is about, the company and its licences); every value it gives carries its source label,
e.g. "来自：公安机关 · 居民身份证".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from app import clock
from app.applications.guides import SOURCES, Guide
from app.certificates.catalogue import certificate_type
from app.certificates.models import Certificate
from app.certificates.wallet import status_of
from app.entities.models import Entity
from app.identity import accounts
from app.licences.catalogue import licence_type
from app.licences.models import Licence
from app.licences.status import licence_status
from app.people.household import addresses, relatives
from app.people.models import Person
from app.people.persons import person_id_number, person_name
from app.push.facts import age_on
from app.security.keys import decrypt

SEX_NAMES = {"male": "男", "female": "女"}


@dataclass(frozen=True)
class Value:
    value: str
    source_label: str


@dataclass
class Holdings:
    account_id: int
    person: Person | None
    child: Person | None = None
    entity: Entity | None = None
    _certificates: dict[str, Certificate] = field(default_factory=dict)
    _licences: dict[str, Licence] = field(default_factory=dict)

    @classmethod
    def read(cls, account_id: int, person: Person | None, child: Person | None = None,
             entity: Entity | None = None) -> Holdings:
        from app.db import session

        held = cls(account_id, person, child, entity)
        if person is not None:
            # The newest unrevoked certificate of each type is the one a form reads.
            for cert in session().scalars(select(Certificate).where(Certificate.holder_id == person.id)
                                          .order_by(Certificate.issued_on, Certificate.id)):
                if cert.revoked_at is None or cert.type not in held._certificates:
                    held._certificates[cert.type] = cert
        if entity is not None:
            for licence in session().scalars(select(Licence).where(Licence.entity_id == entity.id)
                                             .order_by(Licence.issued_on, Licence.id)):
                held._licences[licence.type_code] = licence
        return held

    def certificate(self, type_code: str) -> Certificate | None:
        return self._certificates.get(type_code)

    def licence(self, type_code: str) -> Licence | None:
        return self._licences.get(type_code)

    def value(self, source: str) -> Value | None:
        """The value of a prefill source, with where it came from; None when nothing is held."""
        head, _, rest = source.partition(".")
        if head == "certificate":
            kind, _, attr = rest.partition(".")
            cert = self.certificate(kind)
            if cert is None:
                return None
            raw = {"number": decrypt(cert.number_enc, "certificate.number"), "issued_on": cert.issued_on,
                   "expires_on": cert.expires_on}[attr]
            return _value(raw, f"{cert.issuer} · {certificate_type(kind).name}")
        if head == "licence":
            kind, _, attr = rest.partition(".")
            licence = self.licence(kind)
            if licence is None:
                return None
            raw = {"number": licence.number, "issued_on": licence.issued_on, "valid_until": licence.valid_until}[attr]
            return _value(raw, f"{licence.issuer} · {licence_type(kind).name}")
        return _value(self._profile_value(source), SOURCES[source][0])

    def _profile_value(self, source: str) -> Any:
        person, child, entity = self.person, self.child, self.entity
        if source == "account.phone":
            return accounts.phone(accounts.get_account(self.account_id))
        if source.startswith("entity."):
            return getattr(entity, source.split(".", 1)[1]) if entity is not None else None
        subject = child if source.startswith("child.") else person
        if subject is None:
            return None
        attr = source.split(".", 1)[1]
        if attr == "name":
            return person_name(subject)
        if attr == "id_number":
            return person_id_number(subject)
        if attr == "birth_date":
            return subject.birth_date
        if attr == "sex":
            return SEX_NAMES.get(subject.sex, subject.sex)
        kind = attr.removesuffix("_address")
        found = [a for a in addresses(subject.id) if a.kind == kind]
        return decrypt(found[-1].address_enc, "person.address") if found else None

    def facts(self, names: list[str]) -> dict[str, Any]:
        """The authoritative facts a decision rule names (None where nothing is held)."""
        today = clock.today()
        out: dict[str, Any] = {}
        for name in names:
            head, _, rest = name.partition(".")
            kind, _, attr = rest.partition(".")
            if name == "person.age":
                out[name] = age_on(self.person.birth_date, today) if self.person else None
            elif name in ("person.area_code", "person.sex"):
                out[name] = getattr(self.person, kind) if self.person else None
            elif head == "entity":
                out[name] = getattr(self.entity, kind) if self.entity else None
            elif head == "certificate":
                cert = self.certificate(kind)
                out[name] = None if cert is None else (
                    status_of(cert, today) if attr == "status" else _days_to(cert.expires_on, today))
            elif head == "licence":
                licence = self.licence(kind)
                out[name] = None if licence is None else (
                    licence_status(licence, today) if attr == "status" else _days_to(licence.valid_until, today))
        return out


def _days_to(day: date | None, today: date) -> int | None:
    return None if day is None else (day - today).days


def _value(raw: Any, label: str) -> Value | None:
    if raw is None or raw == "":
        return None
    return Value(raw.isoformat() if isinstance(raw, date) else str(raw), f"来自：{label}")


def child_of(person: Person | None, child_person_id: int | None) -> Person | None:
    """The applicant's child the case is about: the one named, else the youngest on record."""
    if person is None:
        return None
    children = [rel for link, rel in relatives(person.id) if link.relation == "child"]
    if child_person_id is not None:
        return next((c for c in children if c.id == child_person_id), None)
    return max(children, key=lambda c: c.birth_date, default=None)


def guide_needs_child(guide: Guide) -> bool:
    return any((f.source or "").startswith("child.") for f in guide.fields)
