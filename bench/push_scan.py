"""Push scan at population scale: the date-window rules' range queries over 1M persons, on SQLite and PostgreSQL.

Generates persons (one resident ID card each), entities and licences with bulk Core inserts (generation
is printed, not measured), then times, for one fixed day, every scanned rule's own match query
(``app.push.scans.SOURCES[...].matches`` — the SQL ``plan_scan`` runs) counted with ``count(*)``, and
checks each count against an independent plain-SQL count written here. Baseline: ``count(*)`` over the
whole persons and certificates tables in the same run. Notification writing is not part of this timing.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.results import write_section

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DAY = date(2026, 3, 2)
CHUNK = 10_000


def _generate(persons: int, licences: int, entities: int) -> float:
    from sqlalchemy import insert

    from app.certificates.models import Certificate
    from app.db import session
    from app.entities.models import Entity
    from app.licences.models import Licence
    from app.people.models import Person
    from app.security.keys import encrypt

    rnd = random.Random(6)
    now = datetime.now(UTC)
    dummy = encrypt("dummy", "person.name")
    start = time.perf_counter()
    s = session()
    first, span = date(1940, 1, 1).toordinal(), date(2025, 12, 31).toordinal() - date(1940, 1, 1).toordinal()
    for lo in range(0, persons, CHUNK):
        ids = range(lo + 1, min(lo + CHUNK, persons) + 1)
        s.execute(insert(Person), [
            {"id": i, "id_number_enc": dummy, "id_number_hash": f"p{i:063d}", "name_enc": dummy,
             "birth_date": date.fromordinal(first + rnd.randrange(span)), "sex": "male" if i % 2 else "female",
             "area_code": rnd.choice(("440103", "440305", "440606", "441900")), "created_at": now} for i in ids])
        s.execute(insert(Certificate), [
            {"id": i, "type": "resident_id_card", "number_enc": dummy, "number_hash": f"c{i:063d}",
             "reference": f"r{i:031d}", "holder_id": i, "holder_name_enc": dummy, "issuer": "bench",
             "issued_on": DAY, "expires_on": DAY + timedelta(days=rnd.randrange(7300)), "fields": {},
             "updated_at": now} for i in ids])
        s.commit()
    s.execute(insert(Entity), [
        {"id": i, "uscc": f"91{rnd.choice(('440103', '440305'))}{i:010d}", "name": f"企业{i}", "type": "company",
         "registered_address": "广州", "stage": "operating", "created_at": now, "updated_at": now}
        for i in range(1, entities + 1)])
    for lo in range(0, licences, CHUNK):
        s.execute(insert(Licence), [
            {"id": i, "number": f"L{i:012d}", "type_code": rnd.choice(("food_business", "pharmacy", "construction")),
             "entity_id": rnd.randrange(entities) + 1, "issuer": "bench", "issued_on": DAY,
             "valid_until": DAY + timedelta(days=rnd.randrange(-365, 3 * 365)),
             "state": "valid" if i % 10 else "suspended", "created_at": now, "updated_at": now}
            for i in range(lo + 1, min(lo + CHUNK, licences) + 1)])
        s.commit()
    return time.perf_counter() - start


def _minus_years(day: date, years: int) -> date:
    return date(day.year - years, day.month, min(day.day, 28 if day.month == 2 else 31)) \
        if not (day.month == 2 and day.day == 29) else date(day.year - years, 2, 28)


def _independent(rule, day: date) -> int:
    from sqlalchemy import text

    from app.db import session

    t, c = rule.trigger, rule.conditions
    if t.subject == "certificate.expires_on":
        sql = "SELECT count(*) FROM certificates WHERE expires_on BETWEEN :a AND :b AND revoked_at IS NULL"
        args = {"a": day, "b": day + timedelta(days=t.days_before)}
        if c.get("certificate_type"):
            sql, args["k"] = sql + " AND type = :k", c["certificate_type"]
    elif t.subject == "licence.valid_until":
        sql = "SELECT count(*) FROM licences WHERE valid_until BETWEEN :a AND :b AND state = 'valid'"
        args = {"a": day, "b": day + timedelta(days=t.days_before)}
        for n, kind in enumerate(c.get("licence_types") or []):
            args[f"t{n}"] = kind
        if c.get("licence_types"):
            sql += " AND type_code IN (" + ", ".join(f":t{n}" for n in range(len(c["licence_types"]))) + ")"
    elif t.subject == "age":
        sql = "SELECT count(*) FROM persons WHERE birth_date BETWEEN :a AND :b"
        args = {"a": _minus_years(day - timedelta(days=t.grace_days), t.years or 0),
                "b": _minus_years(day + timedelta(days=t.days_before), t.years or 0)}
        if c.get("area_prefix"):
            sql, args["p"] = sql + " AND area_code LIKE :p", c["area_prefix"] + "%"
        if rule.recipients == "self":
            sql += " AND account_id IS NOT NULL"
    elif t.subject == "calendar":
        month, dd = t.month_day or (1, 1)
        opened = date(day.year, month, dd)
        if not opened <= day <= opened + timedelta(days=t.grace_days):
            return 0
        sql = ("SELECT count(*) FROM entities e WHERE e.stage != 'deregistered' AND NOT EXISTS (SELECT 1 FROM "
               "entity_annual_reports r WHERE r.entity_id = e.id AND r.year = :y AND r.status = 'submitted')")
        args = {"y": opened.year - 1}
        if c.get("area_prefix"):
            sql, args["p"] = sql + " AND e.uscc LIKE :p", "__" + c["area_prefix"] + "%"
    else:
        raise ValueError(t.subject)
    return session().execute(text(sql), args).scalar_one()


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def _scan(store: str, persons: int, licences: int, entities: int) -> list[str]:
    from sqlalchemy import func, select, text

    from app.db import session
    from app.migrate import upgrade
    from app.push.scans import SOURCES, scanned_rules

    upgrade()
    generated = _generate(persons, licences, entities)
    print(f"[{store}] generated {persons} persons+certificates, {entities} entities, {licences} licences "
          f"in {generated:.1f}s", flush=True)
    s = session()
    s.execute(text("ANALYZE"))
    s.commit()
    base_n, base_t = _timed(lambda: s.execute(text("SELECT count(*) FROM persons")).scalar_one()
                            + s.execute(text("SELECT count(*) FROM certificates")).scalar_one())
    rows, total = [], 0.0
    for rule in scanned_rules():
        query = SOURCES[rule.trigger.subject].matches(rule, DAY)
        if query is None:
            matched, took = 0, 0.0
        else:
            matched, took = _timed(lambda q=query: s.execute(select(func.count()).select_from(q.subquery()))
                                   .scalar_one())
        total += took
        rows.append((rule.id, rule.trigger.subject, matched, _independent(rule, DAY), took))
    s.rollback()
    ok = all(m == i for _r, _s, m, i, _t in rows)
    lines = [f"### {store}: {persons:,} persons + certificates, {entities:,} entities, {licences:,} licences",
             "", f"Generation (not measured): {generated:.1f} s. Baseline `count(*)` persons + certificates "
             f"({base_n:,} rows): {base_t * 1000:.0f} ms. Full scan (all rules' match queries): "
             f"{total * 1000:.0f} ms = **{total / base_t:.2f}×** baseline. Counts agree: **{'yes' if ok else 'NO'}**.",
             "", "| rule | subject | matched (scan query) | independent count | ms |", "|---|---|---:|---:|---:|"]
    lines += [f"| {r} | {sub} | {m:,} | {i:,} | {t * 1000:.1f} |" for r, sub, m, i, t in rows]
    print("\n".join(lines), flush=True)
    return lines


def _run(store: str, args: argparse.Namespace) -> list[str]:
    instance = Path(tempfile.mkdtemp(prefix="yss-bench-push-", dir="/tmp"))
    os.environ.update({"YSS_INSTANCE_PATH": str(instance), "LOG_LEVEL": "WARNING"})
    os.environ.pop("DATABASE_URL", None)
    db = f"yss_bench_push_{os.getpid()}"
    if store == "PostgreSQL":
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {db}")
        os.environ["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{db}"
    try:
        return _scan(store, args.persons, args.licences, args.entities)
    finally:
        from app.db import get_engine, remove_session

        remove_session()
        get_engine().dispose()
        if store == "PostgreSQL":
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        shutil.rmtree(instance, ignore_errors=True)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench push")
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--licences", type=int, default=200_000)
    parser.add_argument("--entities", type=int, default=20_000)
    args = parser.parse_args(argv)
    if args.db == "both":  # settings and the engine are cached per process: one process per store
        for db in ("sqlite", "postgres"):
            subprocess.run([sys.executable, "-m", "bench", "push", "--db", db, "--persons", str(args.persons),
                            "--licences", str(args.licences), "--entities", str(args.entities)], cwd=ROOT, check=True)
        return
    sys.path.insert(0, str(ROOT))
    store = {"sqlite": "SQLite", "postgres": "PostgreSQL"}[args.db]
    body = _run(store, args)
    cmd = f"python -m bench push --db {args.db} --persons {args.persons} --licences {args.licences} " \
          f"--entities {args.entities}"
    head = [f"## Push scan (date-window rules), {store}", "", f"`{cmd}` — fixed day {DAY}; {platform.machine()}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()}. Timed: each scanned rule's own match "
            "query from `app.push.scans.SOURCES` (the SQL `plan_scan` runs) wrapped in `count(*)`; notification "
            "writing is not timed. Independent counts are plain SQL written in the bench.", ""]
    write_section(f"push-scan-{args.db}-{args.persons}", "\n".join(head + body))
