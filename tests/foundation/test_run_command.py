"""`make run`'s script starts the whole product, answers, and stops cleanly on Ctrl-C; with a port
taken it stops at once, naming the port, and prints no banner."""

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import requests
from openapi_spec_validator import validate

from tests.support.run_script import ROOT, Output, free_port, run_env, wait_for


def test_run_script_serves_the_api_and_stub_and_stops_on_ctrl_c(tmp_path):
    api_port, stub_port = free_port(), free_port()
    instance = Path("/tmp") / f"yss-run-{os.getpid()}"  # short: the embedded Redis socket lives there
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
