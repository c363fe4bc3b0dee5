"""Phone number (button code and legacy open data) and face verification."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from .client import APPID, Emulator

NAME, ID_NUMBER = "张三", "11010519491231002X"
FACE_PATH = "/cityservice/face/identify"


def _phone(emulator: Emulator, token: str, code: str, **extra: str) -> dict:
    return emulator.post(
        "/wxa/business/getuserphonenumber", {"code": code, **extra}, access_token=token
    ).json()


def test_phone_code_single_use_with_watermark(emulator: Emulator) -> None:
    openid = emulator.user(phone="13912345678")["openid"]
    token = emulator.token()
    code = emulator.ok("POST", f"/users/{openid}/phone-code")["code"]
    body = _phone(emulator, token, code, openid=openid)
    assert body["errcode"] == 0 and body["errmsg"] == "ok"
    info = body["phone_info"]
    assert info["phoneNumber"] == info["purePhoneNumber"] == "13912345678"
    assert info["countryCode"] == "86"
    assert info["watermark"]["appid"] == APPID
    assert isinstance(info["watermark"]["timestamp"], int)
    assert _phone(emulator, token, code)["errcode"] == 40029


def test_phone_code_expiry_and_numeric_country_code(emulator: Emulator) -> None:
    openid = emulator.user(country_code_as_number=True)["openid"]
    token = emulator.token()
    stale = emulator.ok("POST", f"/users/{openid}/phone-code")["code"]
    fresh = emulator.ok("POST", f"/users/{openid}/phone-code")["code"]
    emulator.advance(250)
    assert _phone(emulator, token, fresh)["phone_info"]["countryCode"] == 86
    emulator.advance(51)
    assert _phone(emulator, token, stale)["errcode"] == 40029
    assert _phone(emulator, token, "nonsense")["errcode"] == 40029


def _decrypt(session_key: str, encrypted: str, iv: str) -> dict:
    decryptor = Cipher(
        algorithms.AES(base64.b64decode(session_key)), modes.CBC(base64.b64decode(iv))
    ).decryptor()
    padded = decryptor.update(base64.b64decode(encrypted)) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return json.loads(unpadder.update(padded) + unpadder.finalize())


def test_encrypted_phone_uses_current_session_key(emulator: Emulator) -> None:
    openid = emulator.user(phone="13700001111")["openid"]
    assert emulator.dev("POST", f"/users/{openid}/encrypted-phone").status_code == 409
    emulator.login(openid)
    session_key = emulator.login(openid)["session_key"]
    sealed = emulator.ok("POST", f"/users/{openid}/encrypted-phone")
    plain = _decrypt(session_key, sealed["encryptedData"], sealed["iv"])
    assert plain["purePhoneNumber"] == "13700001111"
    assert plain["countryCode"] == "86"
    assert plain["watermark"]["appid"] == APPID
    wrong = emulator.ok("POST", f"/users/{openid}/encrypted-phone", {"appid": "wxother"})
    assert _decrypt(session_key, wrong["encryptedData"], wrong["iv"])["watermark"]["appid"] == "wxother"


def cert_hash(cert_type: str, name: str, number: str) -> str:
    def b64(value: str) -> str:
        return base64.b64encode(value.encode()).decode()

    text = f"cert_type={b64(cert_type)}&cert_name={b64(name)}&cert_no={b64(number)}"
    return hashlib.sha256(text.encode()).hexdigest()


def _start(
    emulator: Emulator, token: str, openid: str, seq: str, name: str = NAME, no: str = ID_NUMBER
) -> dict:
    cert = {"cert_type": "IDENTITY_CARD", "cert_name": name, "cert_no": no}
    body = {"out_seq_no": seq, "cert_info": cert, "openid": openid}
    return emulator.post(f"{FACE_PATH}/getverifyid", body, access_token=token).json()


def _query(emulator: Emulator, token: str, verify_id: str, seq: str, openid: str, **over: str) -> dict:
    body = {
        "verify_id": verify_id,
        "out_seq_no": seq,
        "cert_hash": cert_hash("IDENTITY_CARD", NAME, ID_NUMBER),
        "openid": openid,
        **over,
    }
    return emulator.post(f"{FACE_PATH}/queryverifyinfo", body, access_token=token).json()


@pytest.fixture
def face_user(emulator: Emulator) -> tuple[str, str]:
    return emulator.user(name=NAME, id_number=ID_NUMBER)["openid"], emulator.token()


def test_face_pass_after_client_step(emulator: Emulator, face_user: tuple[str, str]) -> None:
    openid, token = face_user
    started = _start(emulator, token, openid, "seq_0001")
    assert started["errcode"] == 0 and started["expires_in"] == 3600
    verify_id = started["verify_id"]
    assert _query(emulator, token, verify_id, "seq_0001", openid)["verify_ret"] == 90017
    emulator.ok("POST", f"/face/{verify_id}/run")
    body = _query(emulator, token, verify_id, "seq_0001", openid)
    assert body == {"errcode": 0, "errmsg": "ok", "verify_ret": 10000}


@pytest.mark.parametrize("outcome", [10004, 90002])
def test_face_outcome_is_reported(emulator: Emulator, face_user: tuple[str, str], outcome: int) -> None:
    openid, token = face_user
    emulator.ok("POST", f"/users/{openid}/face-outcome", {"verify_ret": outcome})
    verify_id = _start(emulator, token, openid, "seq-0002")["verify_id"]
    emulator.ok("POST", f"/face/{verify_id}/run")
    assert _query(emulator, token, verify_id, "seq-0002", openid)["verify_ret"] == outcome
    # The outcome applied once; the next face step passes again.
    second = _start(emulator, token, openid, "seq-0003")["verify_id"]
    emulator.ok("POST", f"/face/{second}/run")
    assert _query(emulator, token, second, "seq-0003", openid)["verify_ret"] == 10000


def test_face_parameter_mismatches_are_10001(emulator: Emulator, face_user: tuple[str, str]) -> None:
    openid, token = face_user
    verify_id = _start(emulator, token, openid, "seq_0004")["verify_id"]
    emulator.ok("POST", f"/face/{verify_id}/run", {"verify_ret": 10000})
    assert _query(emulator, token, verify_id, "seq_0004", openid, cert_hash="ab" * 32)["verify_ret"] == 10001
    assert _query(emulator, token, verify_id, "seq_9999", openid)["verify_ret"] == 10001
    other = emulator.user()["openid"]
    assert _query(emulator, token, verify_id, "seq_0004", other)["verify_ret"] == 10001


def test_face_other_persons_cert_is_10003(emulator: Emulator, face_user: tuple[str, str]) -> None:
    openid, token = face_user
    other_id = "110105194912310029"
    verify_id = _start(emulator, token, openid, "seq_0005", no=other_id)["verify_id"]
    emulator.ok("POST", f"/face/{verify_id}/run")
    query = _query(
        emulator, token, verify_id, "seq_0005", openid, cert_hash=cert_hash("IDENTITY_CARD", NAME, other_id)
    )
    assert query["verify_ret"] == 10003


def test_face_request_validation_and_expiry(emulator: Emulator, face_user: tuple[str, str]) -> None:
    openid, token = face_user
    assert _start(emulator, token, openid, "abc")["errcode"] == 47001
    assert _start(emulator, token, openid, "bad seq!")["errcode"] == 47001
    verify_id = _start(emulator, token, openid, "seq_0006")["verify_id"]
    assert _start(emulator, token, openid, "seq_0006")["errcode"] == 47001  # duplicate
    assert _start(emulator, token, "o-unknown", "seq_0007")["errcode"] == 40003
    assert _query(emulator, token, "nope", "seq_0006", openid)["errcode"] == 47001
    emulator.advance(3600)
    fresh_token = emulator.token()
    assert _query(emulator, fresh_token, verify_id, "seq_0006", openid)["errcode"] == 42003
    assert emulator.dev("POST", f"/face/{verify_id}/run").status_code == 409
