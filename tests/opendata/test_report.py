"""`flask ratings report --month` writes the monthly evaluation whose figures equal the open dataset's."""

from __future__ import annotations

import csv

from pypdf import PdfReader

from app import clock
from app.opendata import publish
from app.ratings import ratings
from tests.support.residents import create_resident
from tests.support.staff import service_id


def _shown(value, how: str) -> str:
    if value is None:
        return "—"
    return {"int": str(value), "score": f"{value:.2f}", "share": f"{value * 100:.1f}%", "days": f"{value:.2f}"}[how]


COLUMNS = (("ratings", "int"), ("average_score", "score"), ("satisfied_share", "share"), ("bad_share", "share"),
           ("rectified_on_time_share", "share"), ("tickets_resolved", "int"), ("median_days", "days"),
           ("p90_days", "days"), ("on_time_share", "share"))


def test_the_report_pdf_and_csv_show_the_figures_of_the_dataset_for_the_same_month(app, client, personal_world,
                                                                                    tmp_path):
    for score in (1, 4):  # a second department, too few ratings to publish
        ratings.rate_service(create_resident(level=3).account_id, service_id("gd-rst-sbk-bb"), score)
    publish.publish_all()
    month = clock.local_now().strftime("%Y-%m")
    dataset = [r for r in client.get("/api/v1/open-data/department-quality-monthly/rows").json if r["month"] == month]
    assert {r["department_code"] for r in dataset} == {"gd-gat", "gd-rst"}

    result = app.test_cli_runner().invoke(args=["ratings", "report", "--month", month, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "2 departments" in result.output

    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / f"evaluation-{month}.pdf").pages)
    assert f"按评价付费月度评价报告 {month}" in text
    lines = text.splitlines()
    for row in dataset:
        table_line = next(line for line in lines if line.startswith(row["department_name"] + " ")
                          and len(line.split()) == 1 + len(COLUMNS))
        assert table_line.split()[1:] == [_shown(row[name], how) for name, how in COLUMNS], (row, table_line)
    assert "申诉成立的评价" in text.replace("\n", "")  # the method is stated
    with (tmp_path / f"evaluation-{month}.csv").open(encoding="utf-8") as f:
        written = list(csv.DictReader(f))
    assert [{k: (v or None) for k, v in r.items()} for r in written] == [
        {k: (None if v is None else str(v)) for k, v in r.items()} for r in dataset]


def test_a_malformed_month_is_refused(app):
    result = app.test_cli_runner().invoke(args=["ratings", "report", "--month", "2026-13"])
    assert result.exit_code == 2 and "YYYY-MM" in result.output
