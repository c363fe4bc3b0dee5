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
