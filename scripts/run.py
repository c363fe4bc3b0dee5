"""Start the whole product on the embedded defaults and stop it all on Ctrl-C.

API (gunicorn), job worker, scheduler and the mini program stub (WeChat + registry emulator and
the web pages); the database is migrated and demo data loaded first.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

API_PORT = int(os.environ.get("YSS_API_PORT", "8000"))
STUB_PORT = int(os.environ.get("YSS_STUB_PORT", "8001"))


def main() -> int:
    os.environ.setdefault("WECHAT_API_BASE", f"http://127.0.0.1:{STUB_PORT}")
    os.environ.setdefault("REGISTRY_BASE_URL", f"http://127.0.0.1:{STUB_PORT}/registry")
    from app.cli import seed_demo_data
    from app.migrate import upgrade
    from app.redis_store import redis_url, stop_embedded_redis
    from config import get_settings

    settings = get_settings()
    print("准备数据库与 Redis …", flush=True)
    url = redis_url()
    upgrade()
    seed_demo_data()

    env = dict(os.environ, REDIS_URL=os.environ.get("REDIS_URL", url))
    env.setdefault("EMULATOR_APPS", f"{settings.wechat_appid}:{settings.wechat_secret}")
    env.setdefault("YSS_API_BASE", f"http://127.0.0.1:{API_PORT}")
    py = sys.executable
    commands = {
        "stub": [py, "-m", "miniprogram_stub", "--host", "127.0.0.1", "--port", str(STUB_PORT)],
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
    _register_demo_in_stub()
    _print_urls()
    code = 0
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


def _register_demo_in_stub() -> None:
    """The demo companies and people exist in the emulated registries too, so the demo resident
    can verify their real name and bind their company end to end."""
    import requests

    from app.entities.demo import DEMO_ENTITIES
    from app.people.demo import DEMO_RESIDENTS

    base = f"http://127.0.0.1:{STUB_PORT}/__emulator__"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(f"{base}/stats", timeout=1)
            break
        except requests.RequestException:
            if time.monotonic() > deadline:
                print("the stub did not come up; demo registry entries were not added", flush=True)
                return
            time.sleep(0.3)
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
