"""Start the whole product on the embedded defaults and stop it all on Ctrl-C.

API (gunicorn), job worker, scheduler and the mini program stub (WeChat + registry emulator and
the web pages); the database is migrated and demo data loaded first. The two ports are checked
before anything starts, and the banner is printed only once the stub and the API answer. The stub
keeps its WeChat users in ``instance/emulator-users.json`` and is given our subscribe-message
templates, the demo people and companies, as WeChat and the registries would already know them.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

API_PORT = int(os.environ.get("YSS_API_PORT", "8000"))
STUB_PORT = int(os.environ.get("YSS_STUB_PORT", "8001"))


def busy_ports(ports: dict[str, int]) -> list[str]:
    """A line naming each port (and its variable) something else already listens on."""
    lines = []
    for variable, port in ports.items():
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers bind
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                lines.append(f"端口 {port} 已被占用，请停止占用它的程序或设置 {variable}=<其他端口> "
                             f"(port {port} is already in use; stop what holds it or set {variable})")
    return lines


def main() -> int:
    if busy := busy_ports({"YSS_API_PORT": API_PORT, "YSS_STUB_PORT": STUB_PORT}):
        print("\n".join(busy), file=sys.stderr, flush=True)
        return 1
    os.environ.setdefault("WECHAT_API_BASE", f"http://127.0.0.1:{STUB_PORT}")
    os.environ.setdefault("REGISTRY_BASE_URL", f"http://127.0.0.1:{STUB_PORT}/registry")
    from app.cli import seed_demo_data
    from app.migrate import DatabaseUnreachable, upgrade
    from app.redis_store import redis_url, stop_embedded_redis
    from config import get_settings

    settings = get_settings()
    print("准备数据库与 Redis …", flush=True)
    url = redis_url()
    try:
        upgrade()
    except DatabaseUnreachable as error:
        print(error, file=sys.stderr, flush=True)
        if not settings.redis_url:
            stop_embedded_redis(settings.instance_path)
        return 1
    seed_demo_data()

    env = dict(os.environ, REDIS_URL=os.environ.get("REDIS_URL", url))
    env.setdefault("EMULATOR_APPS", f"{settings.wechat_appid}:{settings.wechat_secret}")
    env.setdefault("YSS_API_BASE", f"http://127.0.0.1:{API_PORT}")
    py = sys.executable
    state_file = settings.instance_path / "emulator-users.json"
    commands = {
        "stub": [py, "-m", "miniprogram_stub", "--host", "127.0.0.1", "--port", str(STUB_PORT),
                 "--state-file", str(state_file)],
        "api": [py, "-m", "gunicorn", "-c", "config/gunicorn.py", "--bind", f"127.0.0.1:{API_PORT}",
                "--workers", "2", "wsgi:app"],
        "worker": [py, "-m", "dramatiq", "app.worker", "--processes", "1", "--threads", "4"],
        "scheduler": [py, "-m", "app.scheduler"],
    }
    children = {name: subprocess.Popen(cmd, cwd=ROOT, env=env) for name, cmd in commands.items()}

    stopping = False

    def stop(*_args: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    stub = f"http://127.0.0.1:{STUB_PORT}"
    if _wait_until_up(children, {"stub": f"{stub}/__emulator__/stats", "api": f"http://127.0.0.1:{API_PORT}/healthz"},
                      lambda: stopping):
        register_in_emulator(stub)
        _print_urls()
    elif not stopping:  # a child died or nothing answered; Ctrl-C while starting is a normal stop
        code, stopping = 1, True
    while not stopping:
        for name, child in children.items():
            if child.poll() is not None:
                print(f"{name} exited with {child.returncode}; stopping everything", flush=True)
                code, stopping = 1, True
        time.sleep(0.5)

    print("\n正在停止 …", flush=True)
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in children.values():
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()
    if not settings.redis_url:
        stop_embedded_redis(settings.instance_path)
    print("已停止", flush=True)
    return code


def _wait_until_up(children: dict[str, subprocess.Popen], urls: dict[str, str],
                   stopping: Callable[[], bool], timeout: float = 300) -> bool:
    """Wait until every URL answers; False at once when a child exits (e.g. its port was taken)."""
    import requests

    deadline = time.monotonic() + timeout  # a hang guard: a first start on a loaded machine is slow
    waiting = dict(urls)
    while waiting:
        for name, child in children.items():
            if child.poll() is not None:
                print(f"{name} 未能启动 (exited with {child.returncode}); 正在停止 …", file=sys.stderr, flush=True)
                return False
        if stopping():
            return False
        if time.monotonic() > deadline:
            print(f"未能启动: {', '.join(waiting)} did not answer", file=sys.stderr, flush=True)
            return False
        for name, url in list(waiting.items()):
            try:
                requests.get(url, timeout=2)
                del waiting[name]
            except requests.RequestException:
                pass
        time.sleep(0.3)
    return True


def register_in_emulator(stub_url: str) -> None:
    """What WeChat and the registries already know in production, told to the emulator at ``stub_url``:
    our subscribe-message templates (config/wechat_templates.toml, else every delivery fails with
    40037), and the demo companies and people, so the demo resident can verify their real name and
    bind their company end to end."""
    import requests

    from app.entities.demo import DEMO_ENTITIES
    from app.people.demo import DEMO_RESIDENTS
    from app.push.rules import load_templates

    base = f"{stub_url}/__emulator__"
    for template in load_templates().values():
        requests.post(f"{base}/templates", timeout=5, json={
            "template_id": template.template_id, "kind": template.kind, "keywords": template.keywords,
            "enum_values": template.enum_values}).raise_for_status()
    people = {e["legal_representative"]["id_number"]: e["legal_representative"]["name"] for e in DEMO_ENTITIES}
    people.update({r["id_number"]: r["name"] for r in DEMO_RESIDENTS})
    for entity in DEMO_ENTITIES:
        requests.post(f"{base}/registry/entities", json=entity, timeout=5)
    for id_number, name in people.items():
        requests.post(f"{base}/registry/persons", json={"name": name, "id_number": id_number}, timeout=5)


def _print_urls() -> None:
    api, stub = f"http://127.0.0.1:{API_PORT}", f"http://127.0.0.1:{STUB_PORT}"
    print(
        "\n".join(
            [
                "",
                "yss 已启动 (Ctrl-C 停止):",
                f"  API            {api}/api/v1",
                f"  API 文档        {api}/api/docs",
                f"  健康检查        {api}/healthz   {api}/readyz",
                f"  居民小程序      {stub}/app/",
                f"  工作人员控制台   {stub}/console/",
                f"  亮证核验页      {stub}/verifier/",
                f"  服务质量公开评价  {stub}/figures/",
                f"  微信/登记模拟器  {stub}/__emulator__/stats",
                "",
            ]
        ),
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
