"""The facts about a person that push rules see (placeholders, dedupe keys), built the same way by
push's scans and by the people area's own events (a birth)."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from app.people.persons import person_name
from app.security.masking import mask_name


class PersonColumns(Protocol):
    """A ``Person`` or a row of its columns (a scan reads columns, not objects)."""

    id: int
    name_enc: str | None
    birth_date: date


def age_on(birth_date: date, today: date) -> int:
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def person_key_facts(person: PersonColumns, today: date, prefix: str = "person") -> dict[str, Any]:
    """The facts that need no decryption (what a dedupe key names)."""
    return {f"{prefix}.id": person.id, f"{prefix}.birth_date": person.birth_date,
            f"{prefix}.age": age_on(person.birth_date, today)}


def person_facts(person: PersonColumns, today: date, prefix: str = "person") -> dict[str, Any]:
    name = person_name(person)  # type: ignore[arg-type]  # reads name_enc only
    return {f"{prefix}.id": person.id, f"{prefix}.name_masked": mask_name(name) if name else "",
            f"{prefix}.birth_date": person.birth_date, f"{prefix}.age": age_on(person.birth_date, today)}
