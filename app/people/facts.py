"""The facts about a person that push rules see (placeholders, dedupe keys), built the same way by
push's scans and by the people area's own events (a birth)."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.people.models import Person
from app.people.persons import person_name
from app.security.masking import mask_name


def age_on(birth_date: date, today: date) -> int:
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def person_facts(person: Person, today: date, prefix: str = "person") -> dict[str, Any]:
    name = person_name(person)
    return {f"{prefix}.id": person.id, f"{prefix}.name_masked": mask_name(name) if name else "",
            f"{prefix}.birth_date": person.birth_date, f"{prefix}.age": age_on(person.birth_date, today)}
