"""`make run`'s script starts the whole product, answers, and stops cleanly on Ctrl-C; with a port
taken it stops at once, naming the port, and prints no banner."""

import os
import signal
import socket
import subprocess
import sys
import threading
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


def run_env(instance: Path, api_port: int, stub_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "YSS_ADMIN_DATABASE_URL", "WECHAT_API_BASE",
                        "REGISTRY_BASE_URL", "EMULATOR_URL", "RATE_LIMIT_PER_MINUTE"}}
    env.update(YSS_INSTANCE_PATH=str(instance), YSS_ENV="development", YSS_API_PORT=str(api_port),
               YSS_STUB_PORT=str(stub_port))
    return env


class Output:
    """The script's output, read as it comes, so a test can wait for a line."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.lines: list[str] = []
        self.seen = threading.Condition()
        self.thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self.thread.start()

    def _read(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            with self.seen:
                self.lines.append(line)
                self.seen.notify_all()

    def wait_for(self, text: str, timeout: float = 300) -> None:
        with self.seen:
            assert self.seen.wait_for(lambda: any(text in line for line in self.lines), timeout), self.text()

    def text(self) -> str:
        return "".join(self.lines)


def test_run_script_serves_the_api_and_stub_and_stops_on_ctrl_c(tmp_path):
    api_port, stub_port = free_port(), free_port()
    instance = Path("/tmp") / f"yss-run-{os.getpid()}"
    proc = subprocess.Popen([sys.executable, "scripts/run.py"], cwd=ROOT, env=run_env(instance, api_port, stub_port),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = Output(proc)
    try:
        api = f"http://127.0.0.1:{api_port}"
        assert wait_for(f"{api}/healthz").status_code == 200
        assert requests.get(f"{api}/readyz", timeout=30).status_code == 200
        docs = requests.get(f"{api}/api/docs", timeout=30)
        assert docs.status_code == 200 and "swagger-ui" in docs.text
        validate(requests.get(f"{api}/api/openapi.json", timeout=30).json())
        assert wait_for(f"http://127.0.0.1:{stub_port}/__emulator__/stats").status_code == 200
        output.wait_for("yss 已启动")  # printed once both answer and the stub knows our templates
        templates = requests.get(f"http://127.0.0.1:{stub_port}/__emulator__/templates", timeout=30).json()
        assert "tmpl-notice-0004" in {t["template_id"] for t in templates["templates"]}
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
        output.thread.join(timeout=60)
    assert proc.returncode == 0, output.text()
    assert f"http://127.0.0.1:{api_port}/api/docs" in output.text()
    assert "已停止" in output.text()
    import shutil

    shutil.rmtree(instance, ignore_errors=True)


def test_run_stops_at_once_naming_a_taken_port_and_prints_no_banner(tmp_path):
    for taken in ("YSS_STUB_PORT", "YSS_API_PORT"):
        with socket.socket() as holder:
            holder.bind(("127.0.0.1", 0))
            holder.listen()
            port = holder.getsockname()[1]
            ports = {"YSS_API_PORT": free_port(), "YSS_STUB_PORT": free_port(), taken: port}
            env = run_env(tmp_path / "instance", ports["YSS_API_PORT"], ports["YSS_STUB_PORT"])
            # The hang guard only: the check comes before migrating, seeding or starting anything.
            done = subprocess.run([sys.executable, "scripts/run.py"], cwd=ROOT, env=env, capture_output=True,
                                  text=True, timeout=120)
        assert done.returncode == 1
        assert f"端口 {port} 已被占用" in done.stderr and f"port {port} is already in use" in done.stderr
        assert taken in done.stderr
        assert "已启动" not in done.stdout + done.stderr
        assert not (tmp_path / "instance").exists()  # nothing was set up
