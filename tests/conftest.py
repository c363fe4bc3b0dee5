"""Fixtures for the whole suite: real database, real Redis, the app and its test client."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import environment

environment.prepare()

from sqlalchemy import text  # noqa: E402

from app import db  # noqa: E402
from app.redis_store import get_redis, stop_embedded_redis  # noqa: E402
from config import get_settings  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _stores() -> Iterator[None]:
    environment.create_worker_database()
    from app.migrate import upgrade

    upgrade()
    get_redis().flushdb()
    yield
    db.remove_session()
    db.get_engine().dispose()
    environment.drop_worker_database()
    settings = get_settings()
    if not settings.redis_url:
        stop_embedded_redis(settings.instance_path)
    shutil.rmtree(settings.instance_path, ignore_errors=True)


@pytest.fixture(autouse=True)
def _clean_stores() -> Iterator[None]:
    yield
    db.remove_session()
    import app.models  # noqa: F401

    tables = [t.name for t in db.Base.metadata.sorted_tables]
    with db.get_engine().begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in reversed(tables):
                conn.execute(text(f"DELETE FROM {name}"))
    get_redis().flushdb()
    get_settings().audit_checkpoint_file.unlink(missing_ok=True)  # the audit anchor outside the database


@pytest.fixture(scope="session")
def app():
    from api import create_app

    return create_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def instance_path() -> Path:
    return Path(os.environ["YSS_INSTANCE_PATH"])


@pytest.fixture
def emulator():
    """The WeChat + registry emulator, reset, with our appid registered."""
    from tests.support.emulator import Emulator

    settings = get_settings()
    emu = Emulator(os.environ["EMULATOR_URL"])
    emu.reset(settings.wechat_appid, settings.wechat_secret)
    return emu


@pytest.fixture
def wx_user(emulator):
    """A WeChat user known to the emulator and the population registry."""
    from tests.support.residents import new_id_number

    id_number = new_id_number()
    user = emulator.create_user(phone="13800138000", name="张三", id_number=id_number,
                                unionid="union-zhangsan")
    emulator.register_person("张三", id_number)
    return {**user, "id_number": id_number, "name": "张三"}


@pytest.fixture
def login(client, emulator):
    def do(openid: str) -> dict:
        response = client.post("/api/v1/auth/wechat-login", json={"code": emulator.login_code(openid)})
        assert response.status_code == 200, response.json
        body = response.json
        body["headers"] = {"Authorization": f"Bearer {body['access_token']}"}
        return body

    return do
