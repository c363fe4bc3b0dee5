"""Entities arrive through intake: register entry, stage with history, annual reports."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import select, text

from app import clock
from app.db import session
from app.entities.models import AnnualReport, Entity
from app.entities.overview import annual_report_view
from tests.support.entities import (
    bound_entity,
    entity_record,
    market_authority,
    new_uscc,
    register_in_registry,
    send,
    send_ok,
)
from tests.support.intake import record
from tests.support.residents import create_resident


@pytest.fixture
def authority():
    return market_authority()


def test_the_representatives_id_number_is_kept_only_as_a_blind_index(client, authority):
    representative = create_resident(name="林小红")
    uscc = new_uscc()
    send_ok(client, authority, entity_record(uscc, representative))

    row = session().execute(text("SELECT * FROM entities WHERE uscc = :u"), {"u": uscc}).mappings().one()
    stored = " ".join(str(v) for v in row.values())
    assert representative.id_number not in stored
    assert "林小红" not in stored
    entity = session().scalars(select(Entity).where(Entity.uscc == uscc)).one()
    assert entity.representative_name_masked == "**红"


def test_an_entity_with_a_wrong_check_character_is_rejected(client, authority):
    representative = create_resident()
    uscc = new_uscc()
    broken = uscc[:17] + ("0" if uscc[17] != "0" else "1")
    body = send(client, authority, entity_record(broken, representative))
    assert body["results"][0]["reason"] == "invalid_data"
    assert "uscc" in body["results"][0]["details"]["fields"]


def test_stage_changes_show_with_their_history_and_deregistration_is_final(client, emulator, authority):
    company = bound_entity(client, emulator, authority)
    stage = lambda version, to, on: record("entity_stage", f"STG-{company.uscc}-{version}", {  # noqa: E731
        "uscc": company.uscc, "stage": to, "effective_on": on, "reason": "股东会决议"}, version=version)

    send_ok(client, authority, stage(1, "in_liquidation", "2026-10-01"), stage(2, "deregistered", "2026-11-20"))
    reopened = send(client, authority, stage(3, "operating", "2026-11-25"))

    assert reopened["results"][0]["reason"] == "stage_transition_invalid"
    body = client.get(f"/api/v1/entities/{company.uscc}", headers=company.representative.headers).json
    assert body["stage"] == "deregistered" and body["stage_since"] == "2026-11-20"
    assert [(h["from_stage"], h["stage"]) for h in body["stage_history"]] == [
        ("in_liquidation", "deregistered"), ("operating", "in_liquidation"), (None, "operating")]
    assert body["role"] == "legal_representative"


def test_a_stage_change_for_an_unknown_entity_is_rejected(client, authority):
    body = send(client, authority, record("entity_stage", "STG-X", {
        "uscc": new_uscc(), "stage": "operating", "effective_on": "2026-01-01", "reason": "设立"}))
    assert body["results"][0]["reason"] == "entity_not_found"


def annual(uscc, year, status, submitted_on=None, version=1):
    return record("annual_report", f"AR-{uscc}-{year}", {"uscc": uscc, "year": year, "status": status,
                                                        "submitted_on": submitted_on}, version=version)


def test_annual_reports_show_with_the_entity_and_their_1_january_to_30_june_window(client, emulator, authority):
    company = bound_entity(client, emulator, authority)
    this_year = clock.today().year  # its window opens next January, so it cannot be overdue yet
    send_ok(client, authority, annual(company.uscc, this_year - 2, "submitted", f"{this_year - 1}-03-15"),
            annual(company.uscc, this_year - 1, "submitted", f"{this_year}-03-15"),
            annual(company.uscc, this_year, "not_submitted"))

    reports = client.get(f"/api/v1/entities/{company.uscc}", headers=company.representative.headers
                         ).json["annual_reports"]

    assert reports == [
        {"year": this_year, "status": "not_submitted", "submitted_on": None,
         "window_opens": f"{this_year + 1}-01-01", "window_closes": f"{this_year + 1}-06-30"},
        {"year": this_year - 1, "status": "submitted", "submitted_on": f"{this_year}-03-15",
         "window_opens": f"{this_year}-01-01", "window_closes": f"{this_year}-06-30"},
        {"year": this_year - 2, "status": "submitted", "submitted_on": f"{this_year - 1}-03-15",
         "window_opens": f"{this_year - 1}-01-01", "window_closes": f"{this_year - 1}-06-30"}]


@pytest.mark.parametrize("today, shown", [(date(2026, 3, 1), "not_submitted"), (date(2026, 7, 1), "overdue")])
def test_last_years_report_shows_even_before_the_register_sends_a_row_for_it(client, emulator, authority,
                                                                              today, shown):
    company = bound_entity(client, emulator, authority)
    send_ok(client, authority, annual(company.uscc, 2024, "submitted", "2025-03-15"))

    with clock.freeze(datetime.combine(today, time(10), tzinfo=clock.local_tz())):
        reports = client.get(f"/api/v1/entities/{company.uscc}", headers=company.representative.headers
                             ).json["annual_reports"]

    assert [(r["year"], r["status"], r["window_closes"]) for r in reports] == [
        (2025, shown, "2026-06-30"), (2024, "submitted", "2025-06-30")]


def test_an_entity_registered_this_year_owes_no_report_for_last_year(client, emulator, authority):
    representative = create_resident()
    uscc = new_uscc()
    send_ok(client, authority, entity_record(uscc, representative, stage_since=f"{clock.today().year}-01-01"))
    register_in_registry(emulator, uscc, representative)
    client.post("/api/v1/me/entities", json={"uscc": uscc}, headers=representative.headers)
    body = client.get(f"/api/v1/entities/{uscc}", headers=representative.headers).json
    assert body["stage_since"] == f"{clock.today().year}-01-01" and body["annual_reports"] == []


@pytest.mark.parametrize("local_day, shown", [
    (date(2026, 6, 29), "not_submitted"), (date(2026, 6, 30), "not_submitted"), (date(2026, 7, 1), "overdue")])
def test_an_unsubmitted_report_shows_overdue_from_the_day_after_the_window_closes(local_day, shown):
    report = AnnualReport(year=2025, status="not_submitted", submitted_on=None)
    assert annual_report_view(report, local_day).status == shown


def test_a_submitted_report_needs_its_submission_date(client, emulator, authority):
    company = bound_entity(client, emulator, authority)
    body = send(client, authority, annual(company.uscc, 2025, "submitted"))
    assert body["results"][0]["reason"] == "invalid_data"
