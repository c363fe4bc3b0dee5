import pytest

from tests.support.residents import new_id_number


@pytest.fixture
def wx_user(emulator):
    """A WeChat user known to the emulator and the population registry."""
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
