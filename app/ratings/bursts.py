"""The burst rule: a burst of ratings of one service from one account or one network address is held
for review instead of counting at once (按用户评价付费 must be hard to game).

A new rating is held when, in the 24 hours before it, the same account has already rated the same
service ``ACCOUNT_LIMIT`` times, or ratings of that service from the same client address (kept only
as a keyed hash, never the address) number ``ADDRESS_LIMIT``: the 3rd rating of a service from one
account in a day, or the 6th from one address, waits. A held rating counts in no figure and opens no
rectification case until an admin releases it (``release``: it then counts as of its own date) or
discards it (it stays out, as an upheld appeal's rating does).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, or_, select

from app import clock
from app.db import session
from app.ratings.models import Rating
from app.security.keys import lookup_hash

WINDOW = timedelta(hours=24)
ACCOUNT_LIMIT = 2
ADDRESS_LIMIT = 5


def client_key(address: str | None) -> str | None:
    return lookup_hash(address, "rating.client_address") if address else None


def is_burst(account_id: int, service_id: int, key: str | None) -> bool:
    """Inside the rating's transaction, before the new rating is added."""
    since = clock.now() - WINDOW
    recent = (Rating.service_id == service_id, Rating.created_at > since, Rating.source == "requester")
    same = [Rating.account_id == account_id] + ([Rating.client_key == key] if key else [])
    rows = session().execute(select(Rating.account_id, Rating.client_key, func.count())
                             .where(*recent, or_(*same))
                             .group_by(Rating.account_id, Rating.client_key)).all()
    by_account = sum(n for account, _, n in rows if account == account_id)
    by_address = sum(n for _, k, n in rows if key is not None and k == key)
    return by_account >= ACCOUNT_LIMIT or by_address >= ADDRESS_LIMIT
