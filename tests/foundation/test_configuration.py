import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings import ConfigurationError, Settings, check_production, load_settings

ROOT = Path(__file__).resolve().parents[2]
PROD_SECRETS = {
    "SIGNING_KEYS": "k2026:" + "A" * 43,
    "FIELD_ENCRYPTION_KEYS": "v1:" + "B" * 43,
    "BLIND_INDEX_KEY": "C" * 43,
    "WECHAT_SECRET": "f" * 32,
    "WECHAT_MESSAGE_TOKEN": "token123",
    "WECHAT_ENCODING_AES_KEY": "D" * 43,
    "OIDC_SIGNING_KEYS": "oidc1:" + "E" * 43,
    "AUDIT_CHAIN_KEY": "E" * 43,
    "DATABASE_URL": "postgresql://db/yss",
    "REDIS_URL": "redis://cache:6379/0",
    "OIDC_ISSUER": "https://yss.example.gov.cn",
}


def test_development_keys_are_generated_once_and_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("YSS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("YSS_ENV", "development")
    for name in PROD_SECRETS:
        monkeypatch.delenv(name, raising=False)
    first = load_settings()
    second = load_settings()
    assert (tmp_path / "dev-keys.json").exists()
    assert first.signing_keys == second.signing_keys
    assert first.sqlalchemy_url == f"sqlite:///{tmp_path / 'yss.sqlite3'}"
    assert len(first.key_list("field_encryption_keys")[0][1]) == 32


def test_production_refuses_missing_secrets_and_names_each(monkeypatch):
    for name in PROD_SECRETS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("YSS_ENV", "production")
    with pytest.raises(ConfigurationError) as error:
        check_production(Settings())
    message = str(error.value)
    for name in PROD_SECRETS:
        assert name in message


def test_production_refuses_a_development_key(monkeypatch, tmp_path):
    for name, value in PROD_SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("YSS_ENV", "production")
    check_production(Settings())  # complete real secrets pass
    from config import devkeys

    monkeypatch.setenv("SIGNING_KEYS", devkeys.generate()["signing_keys"])
    with pytest.raises(ConfigurationError, match="SIGNING_KEYS is a development key"):
        check_production(Settings())


def test_production_refuses_plain_mode_wechat_pushes(monkeypatch):
    for name, value in PROD_SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("YSS_ENV", "production")
    monkeypatch.setenv("WECHAT_PLAIN_MESSAGES", "true")
    with pytest.raises(ConfigurationError, match="WECHAT_PLAIN_MESSAGES must be off"):
        check_production(Settings())


def test_the_app_process_refuses_to_start_in_production_without_secrets(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in PROD_SECRETS}
    env.update(YSS_ENV="production", YSS_INSTANCE_PATH=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "refusing to start in production" in result.stderr
    assert "WECHAT_SECRET is not set" in result.stderr


def test_the_readme_documents_every_setting():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    missing = [f.alias for f in Settings.model_fields.values() if f.alias and f"`{f.alias}`" not in readme]
    assert not missing, f"settings missing from the README's configuration table: {missing}"


def test_a_development_key_file_from_before_a_new_key_gains_only_the_new_key(tmp_path):
    import json

    from config import devkeys

    assert set(devkeys.KEY_NAMES) == set(devkeys.generate())
    old = {k: v for k, v in devkeys.generate().items() if k != "oidc_signing_keys"}
    (tmp_path / devkeys.FILE_NAME).write_text(json.dumps(old))
    keys = devkeys.load_or_create(tmp_path)
    assert {k: keys[k] for k in old} == old and keys["oidc_signing_keys"].startswith(devkeys.DEV_MARK)
    assert devkeys.load_or_create(tmp_path) == keys
