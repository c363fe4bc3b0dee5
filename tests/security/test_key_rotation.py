"""A field key can be rotated without downtime; a command re-encrypts the old rows."""

import base64
import secrets

from click.testing import CliRunner
from sqlalchemy import select

from app.db import session
from app.identity.models import Account
from app.security import keys
from config import get_settings
from tests.support.residents import create_resident


def test_rotating_the_field_key_keeps_data_readable_and_reencrypt_moves_every_row(app, client, monkeypatch):
    residents = [create_resident(level=2, name=n) for n in ("张三", "李四", "王五")]
    old = get_settings().field_encryption_keys
    new_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()
    monkeypatch.setattr(get_settings(), "field_encryption_keys", f"k2:{new_key},{old}")
    keys.field_cipher.cache_clear()
    try:
        # Old rows still read under the new key list.
        me = client.get("/api/v1/me", headers=residents[0].headers)
        assert me.status_code == 200 and me.json["name"] == "*三"
        result = CliRunner().invoke(app.cli, ["keys", "reencrypt"])
        assert result.exit_code == 0 and "accounts: 3 rows re-encrypted" in result.output
        session().expire_all()
        for account in session().scalars(select(Account)):
            assert account.name_enc.startswith("k2$") and account.id_number_enc.startswith("k2$")
        again = CliRunner().invoke(app.cli, ["keys", "reencrypt"])
        assert "accounts: 0 rows re-encrypted" in again.output
        assert client.get("/api/v1/me", headers=residents[1].headers).json["name"] == "*四"
    finally:
        keys.field_cipher.cache_clear()
