"""WeChat keeps a person's openid: the same (appid, phone) gets the same openid, across restarts too."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from miniprogram_stub.app import create_app
from tests.support.live_server import start_server

from .client import APPID, SECRET, Emulator


def _start(state_file: Path | None) -> tuple[Emulator, Callable[[], None]]:
    base_url, stop = start_server(create_app({"apps": {APPID: SECRET}, "state_file": state_file}))
    return Emulator(base_url), stop


def test_the_same_phone_gets_the_same_openid_and_another_phone_a_new_one(emulator: Emulator) -> None:
    first = emulator.user(phone="13800138000", name="张三")
    again = emulator.user(phone="13800138000", id_number="440106199005170014")
    assert again["openid"] == first["openid"]
    assert again["name"] == "张三" and again["id_number"] == "440106199005170014"  # updated, not replaced
    assert emulator.user(phone="13800138001")["openid"] != first["openid"]
    # An explicit openid is another WeChat account, even with the same phone (a recycled number).
    other = emulator.user(openid="o" + "x" * 27, phone="13800138000")
    assert other["openid"] == "o" + "x" * 27
    assert emulator.user(phone="13800138000")["openid"] == first["openid"]


def test_users_survive_a_restart_with_a_state_file_and_a_reset_forgets_them(tmp_path: Path) -> None:
    state_file = tmp_path / "emulator-users.json"
    emulator, stop = _start(state_file)
    try:
        openid = emulator.user(phone="13800138000", name="张三")["openid"]
    finally:
        stop()
    emulator, stop = _start(state_file)
    try:
        assert emulator.user(phone="13800138000")["openid"] == openid
        assert emulator.login(openid)["openid"] == openid  # wx.login works for the remembered user
        emulator.ok("POST", "/reset")
        assert emulator.dev("GET", f"/users/{openid}").status_code == 404
    finally:
        stop()
    emulator, stop = _start(state_file)
    try:
        assert emulator.dev("GET", f"/users/{openid}").status_code == 404  # the reset emptied the file
        assert emulator.user(phone="13800138000")["openid"] != openid
    finally:
        stop()


def test_without_a_state_file_a_restart_forgets_the_users() -> None:
    emulator, stop = _start(None)
    try:
        openid = emulator.user(phone="13800138000")["openid"]
    finally:
        stop()
    emulator, stop = _start(None)
    try:
        assert emulator.dev("GET", f"/users/{openid}").status_code == 404
    finally:
        stop()
