"""The monthly evaluation report (按评价付费月度评价): per department, as CSV and as a PDF with a chart.

Its figures are the ``department-quality-monthly`` dataset's rows for the month, built the same way
and under the same negative list, so the document a settlement uses equals what the public downloads.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app import clock
from app.opendata.publish import build, published
from app.ratings.aggregates import month_bounds

DATASET = "department-quality-monthly"
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")  # fonts-wqy-microhei (scripts/install-browser.sh)
# (field, column heading, how the value is shown)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("department_name", "部门", "text"),
    ("ratings", "评价数", "int"),
    ("average_score", "平均分", "score"),
    ("satisfied_share", "满意率", "share"),
    ("bad_share", "差评率", "share"),
    ("rectified_on_time_share", "整改按期率", "share"),
    ("tickets_resolved", "办结工单", "int"),
    ("median_days", "时长中位数(天)", "days"),
    ("p90_days", "时长P90(天)", "days"),
    ("on_time_share", "按期办结率", "share"),
)
METHOD = ("计算方法：评价按提交时的北京时间自然月统计，整改后再评价以新分数计，7天未评价的按“基本满意”(3分)计；"
          "申诉成立的评价和按防刷规则待复核的评价不计入。满意率为3–5分评价占比，差评率为1–2分评价占比。"
          "整改按期率：已整改或已到期的差评整改中，在期限内整改完成的占比。办理时长为工单受理至办结的自然日，"
          "中位数与第90百分位（最近秩法）；按期办结率为在受理时确定的期限内办结的占比。"
          "计数少于5的数值及据此算出的指标不公布（—）。")


def show(value: Any, how: str) -> str:
    if value is None:
        return "—"
    return {"text": str, "int": str, "score": lambda v: f"{v:.2f}", "share": lambda v: f"{v * 100:.1f}%",
            "days": lambda v: f"{v:.2f}"}[how](value)


@dataclass(frozen=True)
class Report:
    month: str
    rows: tuple[dict[str, Any], ...]
    csv_path: Path
    pdf_path: Path


def evaluation_rows(month: str) -> list[dict[str, Any]]:
    month_bounds(month)  # a malformed month is a ValidationFailed
    spec = published(DATASET)
    if spec is None:
        return []
    return [row for row in build(spec) if row["month"] == month]


def write_report(month: str, directory: Path) -> Report:
    rows = evaluation_rows(month)
    directory.mkdir(parents=True, exist_ok=True)
    csv_path, pdf_path = directory / f"evaluation-{month}.csv", directory / f"evaluation-{month}.pdf"
    names = [f.name for f in published(DATASET).fields] if rows else [c[0] for c in COLUMNS]
    with csv_path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow(["" if row.get(n) is None else row.get(n) for n in names])
    _pdf(month, rows, pdf_path)
    return Report(month, tuple(rows), csv_path, pdf_path)


def _pdf(month: str, rows: list[dict[str, Any]], path: Path) -> None:
    from fpdf import FPDF

    if not FONT.exists():
        raise FileNotFoundError(f"{FONT} is missing: install fonts-wqy-microhei (scripts/install-browser.sh)")
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_font("wqy", fname=str(FONT))
    pdf.add_page()
    pdf.set_font("wqy", size=16)
    pdf.cell(0, 10, f"按评价付费月度评价报告 {month}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("wqy", size=9)
    pdf.cell(0, 6, f"数据集 {DATASET} · 生成于 {clock.local_now():%Y-%m-%d %H:%M}（北京时间）",
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    widths = (62, 20, 20, 22, 22, 26, 22, 28, 26, 25)
    pdf.set_font("wqy", size=9)
    for (_, heading, _), width in zip(COLUMNS, widths, strict=True):
        pdf.cell(width, 7, heading, border=1, align="C")
    pdf.ln()
    for row in rows:
        for (name, _, how), width in zip(COLUMNS, widths, strict=True):
            pdf.cell(width, 7, show(row.get(name), how), border=1, align="L" if how == "text" else "R")
        pdf.ln()
    if not rows:
        pdf.cell(0, 7, "本月没有评价或办结工单。", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    _chart(pdf, rows)
    pdf.ln(4)
    pdf.set_font("wqy", size=8)
    pdf.multi_cell(0, 5, METHOD)
    pdf.output(str(path))


def _chart(pdf, rows: list[dict[str, Any]]) -> None:
    """Horizontal bars: each department's satisfied share (0–100%)."""
    pdf.set_font("wqy", size=10)
    pdf.cell(0, 7, "各部门满意率", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("wqy", size=8)
    left, label_width, bar_width, height = pdf.l_margin, 62, 160, 6
    for row in rows:
        y = pdf.get_y()
        pdf.set_xy(left, y)
        pdf.cell(label_width, height, row["department_name"])
        share = row.get("satisfied_share")
        pdf.set_draw_color(180, 180, 180)
        pdf.rect(left + label_width, y + 1, bar_width, height - 2)
        if share is not None:
            pdf.set_fill_color(22, 119, 255)
            pdf.rect(left + label_width, y + 1, bar_width * share, height - 2, style="F")
        pdf.set_xy(left + label_width + bar_width + 2, y)
        pdf.cell(24, height, show(share, "share"))
        pdf.set_y(y + height + 1)
