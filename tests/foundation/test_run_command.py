"""`make run`'s script starts the whole product, answers, and stops cleanly on Ctrl-C."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 300) -> requests.Response:
    # A guard against a hang: a first start on a loaded machine installs, migrates and seeds first.
    deadline = time.monotonic() + timeout
    while True:
        try:
            return requests.get(url, timeout=30)
        except requests.RequestException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_run_script_serves_the_api_and_stub_and_stops_on_ctrl_c(tmp_path):
    api_port, stub_port = free_port(), free_port()
    instance = Path("/tmp") / f"yss-run-{os.getpid()}"
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "YSS_ADMIN_DATABASE_URL", "WECHAT_API_BASE",
                        "REGISTRY_BASE_URL", "EMULATOR_URL", "RATE_LIMIT_PER_MINUTE"}}
    env.update(YSS_INSTANCE_PATH=str(instance), YSS_ENV="development", YSS_API_PORT=str(api_port),
               YSS_STUB_PORT=str(stub_port))
    proc = subprocess.Popen([sys.executable, "scripts/run.py"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        api = f"http://127.0.0.1:{api_port}"
        assert wait_for(f"{api}/healthz").status_code == 200
        assert requests.get(f"{api}/readyz", timeout=30).status_code == 200
        docs = requests.get(f"{api}/api/docs", timeout=30)
        assert docs.status_code == 200 and "swagger-ui" in docs.text
        validate(requests.get(f"{api}/api/openapi.json", timeout=30).json())
        assert wait_for(f"http://127.0.0.1:{stub_port}/__emulator__/stats").status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, output
    assert f"http://127.0.0.1:{api_port}/api/docs" in output
    assert "已停止" in output
    import shutil

    shutil.rmtree(instance, ignore_errors=True)
