"""Push scan end to end on PostgreSQL: 1 M persons and 200 k licences, the real queue, 2 workers.

What is timed is what ``flask push scan --date D`` starts: ``app.push.scans.plan_scan`` finds every
date-window rule's matches and enqueues one ``scan_batch`` job per id range; two ``dramatiq
app.worker`` processes (queue ``push`` only, so the deliveries the scan enqueues wait in their own
queue) run the batches; the clock stops when the queue is empty (``broker.join``), workers already
up. Then a repeat scan of the same day (it writes nothing) is timed the same way. The workers are
``bench.scan_worker``: ``app.worker`` with the business clock held at 10:00 of the fixed day in
Shanghai, so every run plans its deliveries outside quiet hours (pending, enqueued after each
batch) whatever the hour it runs at.

Checks: the notifications written are counted against an independent plain-SQL count of who should
be told (matches × recipients with an account, written here, not the scan's queries), per rule; the
repeat adds nothing. Baseline in the same run: a plain server-side bulk insert of the same
notification and delivery rows (``INSERT … SELECT`` into copies of the tables with their indexes) —
the floor for writing those rows at all.

Generation is bulk SQL (``generate_series``) into ``bench_scan_template`` once; each run copies it
(``CREATE DATABASE … TEMPLATE``). The template is rebuilt when the sizes, the migrations (their
contents, not only their names) or this generator's SQL change: its signature is the database's
comment. Encrypted fields use the dev keys of a
fixed instance directory, kept with the template.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from bench.results import write_section

ROOT = Path(__file__).resolve().parent.parent
PG = "postgresql://postgres@127.0.0.1:5432/"
TEMPLATE_DB, RUN_DB = "bench_scan_template", "bench_scan_run"
INSTANCE = Path("/tmp/yss-bench-scan-instance")
DAY = date(2026, 3, 2)  # outside the annual-report windows: the date-window and age rules only
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 of DAY in Shanghai: outside quiet hours
GENERATOR_VERSION = 5
EXPIRY, SERVICE = "tmpl-expiry-reminder-0001", "tmpl-service-reminder-0002"

# Who exists: person i has a WeChat account (id i) when i % 5 < 2 (40 %); 70 % of those consent to both
# templates; every person holds an ID card, every third a driving licence; children born from 2012 on
# have a parent link to an account holder; each entity has one representative with an account.
GENERATE = """
SELECT setseed(0.19);
INSERT INTO accounts (id, provider, provider_uid, created_at)
  SELECT i, 'wechat', 'bench-openid-' || i, now() FROM generate_series(1, %(persons)s) i WHERE i %% 5 < 2;
INSERT INTO persons (id, id_number_enc, id_number_hash, name_enc, birth_date, sex, area_code, account_id, created_at)
  SELECT i, %(id_enc)s, md5('p' || i) || md5('q' || i), %(name_enc)s, date '1940-01-01' + (random() * 31410)::int,
         CASE WHEN i %% 2 = 1 THEN 'male' ELSE 'female' END,
         (ARRAY['440103', '440305', '440606', '441900'])[1 + i %% 4],
         CASE WHEN i %% 5 < 2 THEN i END, now()
  FROM generate_series(1, %(persons)s) i;
INSERT INTO certificates (id, type, number_enc, number_hash, reference, holder_id, holder_name_enc, issuer, issued_on,
                          expires_on, fields, updated_at)
  SELECT i, 'resident_id_card', %(cert_enc)s, md5('c' || i) || md5('d' || i), 'rc' || i, i, %(holder_enc)s, 'bench',
         %(day)s, %(day)s + (random() * 7300)::int, '{}', now() FROM generate_series(1, %(persons)s) i;
INSERT INTO certificates (id, type, number_enc, number_hash, reference, holder_id, holder_name_enc, issuer, issued_on,
                          expires_on, fields, updated_at)
  SELECT %(persons)s + i, 'driving_licence', %(cert_enc)s, md5('e' || i) || md5('f' || i), 'rd' || i, i, %(holder_enc)s,
         'bench', %(day)s, %(day)s + (random() * 2190)::int, '{}', now()
  FROM generate_series(1, %(persons)s) i WHERE i %% 3 = 0;
INSERT INTO household_links (person_id, relative_id, relation, authority_id, created_at)
  SELECT p.id, ((p.id::bigint * 7919) %% (%(persons)s / 5 - 1) + 1) * 5, 'parent', 'bench', now()
  FROM persons p WHERE p.birth_date >= date '2012-01-01';
INSERT INTO entities (id, uscc, name, type, registered_address, stage, created_at, updated_at)
  SELECT i, '91' || (ARRAY['440103', '440305'])[1 + i %% 2] || lpad(i::text, 10, '0'), '企业' || i, 'company', '广州',
         'operating', now(), now() FROM generate_series(1, %(entities)s) i;
INSERT INTO entity_representative_bindings (entity_id, account_id, started_at)
  SELECT i, ((i * 31) %% (%(persons)s / 5 - 1) + 1) * 5, now() FROM generate_series(1, %(entities)s) i;
INSERT INTO licences (id, number, type_code, entity_id, issuer, issued_on, valid_until, state, created_at, updated_at)
  SELECT i, 'L' || lpad(i::text, 12, '0'), (ARRAY['food_business', 'pharmacy', 'construction'])[1 + i %% 3],
         1 + (random() * (%(entities)s - 1))::int, 'bench', %(day)s, %(day)s + (random() * 1460)::int - 365,
         CASE WHEN i %% 10 = 0 THEN 'suspended' ELSE 'valid' END, now(), now()
  FROM generate_series(1, %(licences)s) i;
INSERT INTO push_consents (account_id, template_id, status, credits, source, updated_at)
  SELECT a.id, t.tid, 'accept', 3, 'client', now() FROM accounts a
  CROSS JOIN (VALUES (%(expiry)s), (%(service)s)) t(tid) WHERE (a.id / 5) %% 10 < 7;
"""
SEQUENCES = ("accounts", "persons", "certificates", "household_links", "entities", "entity_representative_bindings",
             "licences", "push_consents")

# Who should be told on DAY, per rule, in plain SQL (not the scan's queries): (rule id, SQL).
INDEPENDENT = {
    "id_card_expiring": """SELECT count(*) FROM certificates c JOIN persons p ON p.id = c.holder_id
        WHERE c.type = 'resident_id_card' AND c.revoked_at IS NULL AND p.account_id IS NOT NULL
        AND c.expires_on BETWEEN %(day)s AND %(day)s + 90""",
    "driving_licence_expiring": """SELECT count(*) FROM certificates c JOIN persons p ON p.id = c.holder_id
        WHERE c.type = 'driving_licence' AND c.revoked_at IS NULL AND p.account_id IS NOT NULL
        AND c.expires_on BETWEEN %(day)s AND %(day)s + 90""",
    "licence_expiring": """SELECT count(DISTINCT (b.account_id, l.id)) FROM licences l
        JOIN entity_representative_bindings b ON b.entity_id = l.entity_id AND b.ended_at IS NULL
        WHERE l.state = 'valid' AND l.valid_until BETWEEN %(day)s AND %(day)s + 30""",
    "pension_at_sixty": """SELECT count(*) FROM persons WHERE account_id IS NOT NULL
        AND birth_date BETWEEN %(day)s - 30 - interval '60 years' AND %(day)s - interval '60 years'""",
    "child_school_enrolment": """SELECT count(DISTINCT (r.account_id, c.id)) FROM persons c
        JOIN household_links h ON h.person_id = c.id AND h.relation = 'parent'
        JOIN persons r ON r.id = h.relative_id AND r.account_id IS NOT NULL
        WHERE c.birth_date BETWEEN %(day)s - 30 - interval '6 years' AND %(day)s - interval '6 years'""",
}


def _admin():
    import psycopg

    return psycopg.connect(PG + "postgres", autocommit=True)


def _signature(args: argparse.Namespace) -> str:
    """What the template was generated from: sizes, every migration's name and contents, this SQL, the keys."""
    digest = hashlib.sha1(f"{GENERATOR_VERSION}:{args.persons}:{args.licences}:{args.entities}".encode())
    for path in sorted((ROOT / "migrations" / "versions").glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(GENERATE.encode() + repr(SEQUENCES).encode())
    keys = INSTANCE / "dev-keys.json"
    digest.update(keys.read_bytes() if keys.exists() else b"")
    return digest.hexdigest()


def _template(args: argparse.Namespace) -> float:
    """Make sure ``bench_scan_template`` holds this generation; seconds spent generating (0 when cached)."""
    import psycopg

    from app.security.keys import encrypt  # the dev keys of INSTANCE (created on first use)

    encrypt("", "person.name")  # the keys exist before the signature names them
    signature = _signature(args)
    with _admin() as conn:
        row = conn.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                           (TEMPLATE_DB,)).fetchone()
        if row is not None and row[0] == signature:
            return 0.0
        conn.execute(f"DROP DATABASE IF EXISTS {TEMPLATE_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {TEMPLATE_DB}")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from app.migrate import upgrade; upgrade()"], cwd=ROOT, check=True,
                   env={**os.environ, "DATABASE_URL": PG + TEMPLATE_DB})
    with psycopg.connect(PG + TEMPLATE_DB) as conn:
        params = {"persons": args.persons, "licences": args.licences, "entities": args.entities, "day": DAY,
                  "id_enc": encrypt("440103199001011234", "person.id_number"),
                  "name_enc": encrypt("张三", "person.name"),
                  "holder_enc": encrypt("张三", "certificate.holder_name"),
                  "cert_enc": encrypt("440103199001011234", "certificate.number"),
                  "expiry": EXPIRY, "service": SERVICE}
        for statement in filter(str.strip, GENERATE.split(";\n")):
            conn.execute(statement, params if "%(" in statement else None)
        for table in SEQUENCES:
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    with _admin() as conn:
        conn.execute(f"COMMENT ON DATABASE {TEMPLATE_DB} IS '{signature}'")
    return time.perf_counter() - started


def _drain(broker, redis, queue: str) -> int:
    """Until the queue is empty (in-flight jobs and retries waiting included); the most retries seen waiting.

    A batch that fails (a connection refused on a loaded machine, say) is retried by Dramatiq as in
    production; the bench reports how many were.
    """
    deadline = time.monotonic() + 1800  # a hang guard only
    retried = 0
    while broker.do_qsize(queue):
        retried = max(retried, redis.hlen(f"{broker.namespace}:{queue}.DQ.msgs"))
        if time.monotonic() > deadline:
            raise SystemExit("the scan did not finish in 1800 s")
        time.sleep(0.01)
    return retried


def _scan(args: argparse.Namespace) -> tuple[list[str], dict]:
    import psycopg
    from redis import Redis

    from app.push.scans import BATCH_SIZE, plan_scan
    from app.queue import DELIVERY, PUSH, broker

    args.batch_size = args.batch_size or BATCH_SIZE
    sql = psycopg.connect(PG + RUN_DB, autocommit=True)
    redis = Redis.from_url(os.environ["REDIS_URL"])
    redis.flushdb()
    workers = subprocess.Popen([sys.executable, "-m", "dramatiq", "bench.scan_worker", "--processes", "2",
                                "--threads", str(args.threads), "--queues", PUSH], cwd=ROOT,
                               env={**os.environ, "BENCH_SCAN_NOW": NOW.isoformat()},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 600  # a hang guard: both worker processes consuming
        while redis.zcard(f"{broker.namespace}:__heartbeats__") < 2:
            if workers.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the workers did not start")
            time.sleep(0.1)
        load = os.getloadavg()
        started = time.perf_counter()
        batches = plan_scan(DAY, args.batch_size)
        retried = _drain(broker, redis, PUSH)
        first = time.perf_counter() - started
        written = sql.execute("SELECT count(*) FROM push_notifications").fetchone()[0]
        by_rule = dict(sql.execute("SELECT rule_id, count(*) FROM push_notifications GROUP BY rule_id").fetchall())
        started = time.perf_counter()
        plan_scan(DAY, args.batch_size)
        retried_repeat = _drain(broker, redis, PUSH)
        repeat = time.perf_counter() - started
        load_after = os.getloadavg()
    finally:
        os.killpg(workers.pid, 15)
        workers.wait(timeout=60)
    after_repeat = sql.execute("SELECT count(*) FROM push_notifications").fetchone()[0]
    states = dict(sql.execute("SELECT state || coalesce(':' || reason, ''), count(*) FROM push_deliveries "
                              "GROUP BY 1").fetchall())
    queued = broker.do_qsize(DELIVERY)
    independent = {rule: sql.execute(q, {"day": DAY}).fetchone()[0] for rule, q in INDEPENDENT.items()}
    # Baseline: the same rows bulk-inserted server-side into copies of the two tables (indexes included).
    sql.execute("CREATE TABLE bench_n (LIKE push_notifications INCLUDING ALL)")
    sql.execute("CREATE TABLE bench_d (LIKE push_deliveries INCLUDING ALL)")
    started = time.perf_counter()
    with sql.transaction():
        sql.execute("INSERT INTO bench_n SELECT * FROM push_notifications")
        sql.execute("INSERT INTO bench_d SELECT * FROM push_deliveries")
    bulk = time.perf_counter() - started
    sql.close()
    return [], {"batches": len(batches), "first": first, "repeat": repeat, "written": written, "by_rule": by_rule,
                "after_repeat": after_repeat, "states": states, "queued": queued, "independent": independent,
                "bulk": bulk, "load": load, "load_after": load_after,
                "retried": retried, "retried_repeat": retried_repeat}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench push")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--licences", type=int, default=200_000)
    parser.add_argument("--entities", type=int, default=20_000)
    parser.add_argument("--threads", type=int, default=2, help="threads per worker process")
    parser.add_argument("--batch-size", type=int, default=None, help="matches per scan_batch job "
                        "(default: app.push.scans.BATCH_SIZE)")
    args = parser.parse_args(argv)
    options = "".join(f" --{name.replace('_', '-')} {value}" for name, value in
                      (("threads", args.threads if args.threads != 2 else None), ("batch_size", args.batch_size))
                      if value)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so the workers and the embedded Redis are stopped
    sys.path.insert(0, str(ROOT))
    INSTANCE.mkdir(exist_ok=True)
    embedded = not os.environ.get("REDIS_URL")
    # Settings are read once per process: this process and its workers use the run's copy throughout.
    os.environ.update({"YSS_INSTANCE_PATH": str(INSTANCE), "LOG_LEVEL": "WARNING", "DATABASE_URL": PG + RUN_DB})
    from app.redis_store import redis_url, stop_embedded_redis

    if embedded:
        os.environ["REDIS_URL"] = redis_url()  # the embedded server, shared with the worker processes
    try:
        generated = _template(args)
        print(f"template {f'generated in {generated:.1f} s' if generated else 'cached'}", flush=True)
        with _admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {RUN_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {RUN_DB} TEMPLATE {TEMPLATE_DB}")
        _lines, r = _scan(args)
    finally:
        from app.db import get_engine, remove_session

        remove_session()
        get_engine().dispose()
        with _admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {RUN_DB} WITH (FORCE)")
        if embedded:
            stop_embedded_redis(INSTANCE)  # `bench push` used to leave it running
    from app.push.delivery import BATCH as delivery_batch

    expected = sum(r["independent"].values())
    ok = r["written"] == expected and all(r["by_rule"].get(k, 0) == v for k, v in r["independent"].items())
    rate = r["written"] / r["first"]
    cmd = f"python -m bench push --persons {args.persons} --licences {args.licences} --entities {args.entities}" \
        + options
    lines = [
        "## Push scan end to end, PostgreSQL",
        "",
        f"`{cmd}` — fixed day {DAY}; {args.persons:,} persons (40 % with a WeChat account, 70 % of those "
        f"consenting), {args.persons:,} ID cards + {args.persons // 3:,} driving licences, {args.entities:,} entities "
        f"with a representative, {args.licences:,} licences; `plan_scan` → {r['batches']} `scan_batch` jobs "
        f"(up to {args.batch_size:,} matches each) → "
        f"2 worker processes × {args.threads} threads (`dramatiq bench.scan_worker --queues push`: `app.worker` "
        f"with the business clock at 10:00 Shanghai on {DAY}, outside quiet hours), timed to an empty "
        f"queue; {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; load average "
        f"{r['load'][0]:.2f} before, {r['load_after'][0]:.2f} after. Batches that failed and waited for "
        f"Dramatiq's retry (at least 15 s): {r['retried']} in the first run, {r['retried_repeat']} in the repeat.",
        "",
        "| measure | seconds | notifications/s | ratio to baseline |",
        "|---|---:|---:|---:|",
        f"| plain bulk insert of the same notification + delivery rows (baseline) | {r['bulk']:.2f} | "
        f"{r['written'] / r['bulk']:,.0f} | 1.00 |",
        f"| scan, first run ({r['written']:,} notifications written) | **{r['first']:.2f}** | {rate:,.0f} | "
        f"{r['first'] / r['bulk']:.1f}× the time |",
        f"| repeat scan of the same day ({r['after_repeat'] - r['written']} written) | **{r['repeat']:.2f}** | — | "
        f"{r['repeat'] / r['bulk']:.1f}× the time |",
        "",
        f"Counted against the independent SQL count: **{'agree' if ok else 'DISAGREE'}** "
        f"({r['written']:,} written, {expected:,} expected).",
        "",
        "| rule | written | independent count |",
        "|---|---:|---:|",
        *[f"| {rule} | {r['by_rule'].get(rule, 0):,} | {n:,} |" for rule, n in r["independent"].items()],
        "",
        "Deliveries: " + ", ".join(f"{k} {v:,}" for k, v in sorted(r["states"].items()))
        + f"; {r['queued']:,} delivery jobs (batches of up to {delivery_batch}) waiting in the `delivery` queue.",
    ]
    print("\n".join(lines), flush=True)
    write_section("push-scan-e2e-postgres", "\n".join(lines))
    if not ok:
        raise SystemExit("the notifications written do not match the independent count")
