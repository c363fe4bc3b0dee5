"""办事 throughput: the guide catalogue search and an application's create + submit, against /healthz.

Follows bench/api_requests.py: gunicorn as `make run` starts it on a fresh instance, wrk on loopback,
a warm-up, then interleaved rounds whose ratios are each taken against the same round's baseline.

Create + submit is a chain (the later requests name the id the create answered), so it runs as a wrk
Lua script with one connection per wrk thread, each thread acting for its own resident: a resident
has one open draft per service, and one connection per resident keeps the chain strictly create →
type the fields nothing prefilled → submit. Its req/s counts all three; an application is three. The
baseline and the search run with the same threads and connections, so the ratios compare like with like.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import requests

from bench.api_requests import PORT, ROOT, ratio_rows, wrk
from bench.results import write_section

DURATION = os.environ.get("BENCH_DURATION", "5s")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
THREADS = 4  # = connections: one resident per connection (see above)
SERVICE = "gd-gat-sfz-hl"  # 居民身份证换领: prefilled from the registry and the held ID card

# Per thread: its resident's token, and where its chain stands. A create answers the draft's id; the
# next request types the two fields nothing prefills (PATCH), the one after submits it.
CHAIN = """
local tokens = {%(tokens)s}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("token", tokens[counter])
end
local draft, step = nil, "create"
local create_body = '{"service_code":"%(service)s","origin":"bench"}'
local typed_body = '{"fields":{"reason":"有效期满","mailing_address":"广东省广州市天河区体育西路 1 号"}}'
function request()
  local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  if step == "type" then
    return wrk.format("PATCH", "/api/v1/applications/" .. draft, headers, typed_body)
  elseif step == "submit" then
    return wrk.format("POST", "/api/v1/applications/" .. draft .. "/submit", headers, "{}")
  end
  return wrk.format("POST", "/api/v1/applications", headers, create_body)
end
function response(status, headers, body)
  if step == "create" and (status == 201 or status == 200) then
    draft = body:match('"id"%%s*:%%s*(%%d+)%%s*[,}]')
    step = draft and "type" or "create"
  elseif step == "type" then
    step = status == 200 and "submit" or "create"
  else
    step = "create"
  end
end
"""


def _residents(count: int) -> list[str]:
    """L3 residents with a household address and an ID card (the renewal's prefill and material), sent
    as the population registry and the police would send them."""
    from api import create_app
    from app.staff.catalogue import load_catalogue
    from tests.support.certificates import certificate_data, full_authority
    from tests.support.intake import record, send_batch
    from tests.support.residents import create_resident, new_id_number

    load_catalogue()  # departments and services, which the guides name
    client = create_app().test_client()
    authority = full_authority()
    tokens = []
    for n in range(count):
        id_number, name = new_id_number(), f"测试{n}"
        sent = send_batch(client, authority, [
            record("person", f"P-{n}", {"name": name, "id_number": id_number,
                                        "address": {"kind": "household", "text": "广东省广州市天河区体育西路 1 号"}}),
            record("certificate", f"C-{n}", certificate_data(id_number, holder_name=name, number=f"BENCHID{n:05d}"))])
        assert sent.status_code == 200, sent.json
        tokens.append(create_resident(level=3, name=name, id_number=id_number).tokens.access_token)
    return tokens


def _submitted(base: str, token: str) -> int:
    """How many applications the resident has submitted: the chain's own check that its submits landed."""
    answer = requests.get(f"{base}/api/v1/me/applications", params={"state": "submitted", "page_size": 1},
                          headers={"Authorization": f"Bearer {token}"}, timeout=10)
    answer.raise_for_status()
    return json.loads(answer.headers["X-Pagination"])["total"]


def main(_args: list[str]) -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: scripts/install-bench-tools.sh")
    instance = Path(tempfile.mkdtemp(prefix="yss-bench-", dir="/tmp"))
    env = {**os.environ, "YSS_INSTANCE_PATH": str(instance), "RATE_LIMIT_PER_MINUTE": "0", "LOG_LEVEL": "WARNING"}
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    from app.migrate import upgrade
    from app.redis_store import redis_url, stop_embedded_redis

    upgrade()
    env["REDIS_URL"] = os.environ.get("REDIS_URL") or redis_url()
    tokens = _residents(THREADS)
    script = instance / "create_submit.lua"
    script.write_text(CHAIN % {"tokens": ", ".join(f'"{t}"' for t in tokens), "service": SERVICE})
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "--bind", f"127.0.0.1:{PORT}",
         "--workers", "2", "--threads", "4", "wsgi:app"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    options = {"threads": THREADS, "connections": THREADS}
    try:
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(100):
            try:
                if requests.get(f"{base}/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        cases = [
            ("GET /healthz (baseline: same stack, no store)", "/healthz", {}),
            ("GET /api/v1/service-guides?q=身份证 (catalogue search, public)",
             f"/api/v1/service-guides?q={quote('身份证')}", {}),
            ("GET /api/v1/service-guides?q=证&applicant=person (search + filter)",
             f"/api/v1/service-guides?q={quote('证')}&applicant=person", {}),
            ("POST /api/v1/applications → PATCH …/{id} → POST …/{id}/submit (L3)",
             "/api/v1/applications", {"script": str(script)}),
        ]
        for _label, path, extra in cases:  # warm-up: imports, connection pools, caches
            wrk(base + path, {}, "2s", **options, **extra)
        rounds = [[wrk(base + path, {}, DURATION, **options, **extra) for _label, path, extra in cases]
                  for _ in range(ROUNDS)]
        submitted = sum(_submitted(base, token) for token in tokens)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        if not os.environ.get("REDIS_URL"):
            stop_embedded_redis(instance)
        shutil.rmtree(instance, ignore_errors=True)
    store = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite (embedded default)"
    lines = [
        f"## 办事: catalogue search and application create + submit ({store})",
        "",
        f"`make bench ARGS=banshi` — gunicorn 2 workers × 4 threads, wrk -t{THREADS} -c{THREADS} -d{DURATION} on "
        f"loopback, a warm-up, then {ROUNDS} interleaved rounds; {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}. Medians over the rounds; each round's ratio is against that "
        "round's baseline. Create + submit chains three requests on each connection (one resident each): "
        "create, type the two fields nothing prefills (PATCH), submit; applications per second are a third of "
        f"its req/s. {submitted} applications were submitted in all "
        "(warm-up included), counted afterwards through `GET /api/v1/me/applications?state=submitted`.",
        "",
        "| request | req/s | ratio to baseline (min–max) | p50 ms | p99 ms | non-2xx |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += ratio_rows([label for label, _path, _extra in cases], rounds)
    write_section(f"banshi-{'pg' if os.environ.get('DATABASE_URL') else 'sqlite'}", "\n".join(lines))
    print("\n".join(lines))
