"""Re-encrypting personal data under the current key, without downtime.

Deploy the new key first in FIELD_ENCRYPTION_KEYS (``new:...,old:...``: the first encrypts, all
decrypt), then run ``flask keys reencrypt``; once it reports nothing left, drop the old key.
Every model that stores encrypted columns declares them in ``__encrypted__`` {column: context}.
"""

from __future__ import annotations

from sqlalchemy import or_, select

import app.models  # noqa: F401  (every model is known)
from app.db import Base, session, transactional
from app.security.keys import field_cipher

BATCH = 500


def encrypted_models() -> list[type]:
    return [m.class_ for m in Base.registry.mappers if getattr(m.class_, "__encrypted__", None)]


def reencrypt_all() -> dict[str, int]:
    """Rotate every encrypted value not under the current key; returns rows changed per table."""
    changed: dict[str, int] = {}
    for model in encrypted_models():
        total = 0
        while (count := _rotate_batch(model)) > 0:
            total += count
        changed[model.__tablename__] = total
    return changed


@transactional
def _rotate_batch(model: type) -> int:
    cipher = field_cipher()
    prefix = f"{cipher.current}$"
    columns = model.__encrypted__
    stale = or_(*[
        (getattr(model, col).is_not(None)) & (~getattr(model, col).startswith(prefix)) for col in columns
    ])
    rows = session().scalars(select(model).where(stale).limit(BATCH)).all()
    for row in rows:
        for column, context in columns.items():
            value = getattr(row, column)
            if value is not None and cipher.needs_rotation(value):
                setattr(row, column, cipher.rotate(value, context))
    return len(rows)
