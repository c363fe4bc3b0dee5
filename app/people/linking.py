"""Attaching a verified resident to the person records authorities may have sent earlier."""

from __future__ import annotations

from app.identity.models import Account
from app.identity.realname import when_verified
from app.people.birth_bundle import announce_to_verified_parent
from app.people.persons import attach_account


@when_verified
def attach_verified_resident(account: Account, name: str, id_number: str) -> None:
    """Called in the transaction that verifies a resident's real name (L2).

    The people area links (or creates) the person with this ID number to the account, so records
    that arrived before the resident ever logged in become theirs (a parent's birth bundle too).
    """
    announce_to_verified_parent(attach_account(account.id, name, id_number))
