"""Running `make run`'s script (scripts/run.py) from a test: free ports, its environment, its output."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

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


class Running:
    """scripts/run.py started on these ports and instance directory; ``stop`` is its Ctrl-C."""

    def __init__(self, instance: Path, api_port: int, stub_port: int) -> None:
        self.api, self.stub = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{stub_port}"
        self.proc = subprocess.Popen([sys.executable, "scripts/run.py"],
                                     cwd=ROOT, env=run_env(instance, api_port, stub_port),
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.output = Output(self.proc)

    def wait_until_started(self) -> None:
        self.output.wait_for("yss 已启动")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout=120)
        self.output.thread.join(timeout=60)
        return code
