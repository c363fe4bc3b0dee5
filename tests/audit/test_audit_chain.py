"""The audit log is append-only and tamper-evident: verify names the first altered row."""

from click.testing import CliRunner
from sqlalchemy import text

from app.audit.log import SYSTEM, record, verify_chain
from app.db import get_engine, transactional


@transactional
def write_entries(n):
    for i in range(n):
        record("test.event", actor=SYSTEM, subject_type="account", subject_id=i, details={"i": i})


def run_verify(app):
    return CliRunner().invoke(app.cli, ["audit", "verify"], catch_exceptions=False)


def test_identity_events_are_audited_and_the_chain_verifies(app, client):
    from tests.support.residents import create_resident

    resident = create_resident(level=1)
    client.post("/api/v1/auth/logout", headers=resident.headers)
    write_entries(3)
    report = verify_chain()
    assert report.ok and report.checked == 4
    result = run_verify(app)
    assert result.exit_code == 0 and "4 entries" in result.output


def test_editing_one_row_makes_verify_fail_naming_that_row(app):
    write_entries(6)
    with get_engine().begin() as conn:
        conn.execute(text("UPDATE audit_log SET outcome = 'tampered' WHERE id = 4"))
    report = verify_chain()
    assert not report.ok and report.first_broken_id == 4
    result = CliRunner().invoke(app.cli, ["audit", "verify"])
    assert result.exit_code == 1
    assert "entry 4" in result.output


def test_deleting_a_row_is_detected(app):
    write_entries(5)
    with get_engine().begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE id = 5"))
    report = verify_chain()
    assert not report.ok and report.first_broken_id == 5


def _entries(conn):
    return conn.execute(text("SELECT id, at, actor_type, actor_id, action, subject_type, subject_id, outcome, "
                             "request_id, details, prev_hash FROM audit_log ORDER BY id")).mappings().all()


def _rewrite_from(entry_id: int, digest) -> None:
    """What a database writer does: edit an entry, then re-hash it and everything after it and the head."""
    import json
    from datetime import UTC, datetime

    with get_engine().begin() as conn:
        conn.execute(text("UPDATE audit_log SET outcome = 'tampered' WHERE id = :id"), {"id": entry_id})
        previous = None
        for row in _entries(conn):
            if row["id"] < entry_id:
                previous = conn.execute(text("SELECT entry_hash FROM audit_log WHERE id = :id"),
                                        {"id": row["id"]}).scalar()
                continue
            at = row["at"] if isinstance(row["at"], datetime) else datetime.fromisoformat(str(row["at"]))
            details = row["details"] if isinstance(row["details"], dict) else json.loads(row["details"])
            body = {**row, "at": at.replace(tzinfo=UTC).isoformat() if at.tzinfo is None else at.isoformat(),
                    "details": details, "prev_hash": previous or row["prev_hash"]}
            new_hash = digest(body)
            conn.execute(text("UPDATE audit_log SET prev_hash = :p, entry_hash = :h WHERE id = :id"),
                         {"p": body["prev_hash"], "h": new_hash, "id": row["id"]})
            previous = new_hash
        conn.execute(text("UPDATE audit_head SET last_hash = :h"), {"h": previous})


def _sha256(body) -> str:
    import hashlib
    import json

    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
                          .encode()).hexdigest()


def test_an_entry_edited_and_the_chain_rehashed_without_the_key_is_detected(app):
    write_entries(6)
    _rewrite_from(3, _sha256)
    report = verify_chain()
    assert not report.ok and report.first_broken_id == 3
    result = run_verify_failing(app)
    assert "entry 3" in result.output


def run_verify_failing(app):
    result = CliRunner().invoke(app.cli, ["audit", "verify"])
    assert result.exit_code == 1, result.output
    return result


def test_a_rehash_even_with_the_key_is_caught_by_the_signed_checkpoint(app):
    write_entries(6)
    assert CliRunner().invoke(app.cli, ["audit", "checkpoint"]).exit_code == 0
    from app.audit.log import entry_digest

    _rewrite_from(3, entry_digest)  # someone holding the chain key too: the chain alone verifies
    result = run_verify_failing(app)
    assert "checkpoint" in result.output and "entry 6" in result.output


def test_a_cut_tail_with_the_head_moved_back_is_detected(app):
    write_entries(6)
    assert CliRunner().invoke(app.cli, ["audit", "checkpoint"]).exit_code == 0
    with get_engine().begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE id > 4"))
        conn.execute(text("UPDATE audit_head SET last_id = 4, "
                          "last_hash = (SELECT entry_hash FROM audit_log WHERE id = 4)"))
    result = run_verify_failing(app)
    assert "6 entries" in result.output and "4" in result.output


def test_checkpoints_are_appended_signed_and_a_forged_one_is_named(app):
    import json

    from config import get_settings

    write_entries(2)
    runner = CliRunner()
    assert runner.invoke(app.cli, ["audit", "checkpoint"]).exit_code == 0
    write_entries(1)
    assert runner.invoke(app.cli, ["audit", "checkpoint"]).exit_code == 0
    path = get_settings().audit_checkpoint_file
    lines = path.read_text().splitlines()
    assert [json.loads(line)["count"] for line in lines] == [2, 3]
    ok = run_verify(app)
    assert ok.exit_code == 0 and "2 checkpoints" in ok.output
    forged = {**json.loads(lines[0]), "count": 1}
    with path.open("a") as f:
        f.write(json.dumps(forged) + "\n")
    result = run_verify_failing(app)
    assert "checkpoint 3" in result.output and "signature" in result.output
