"""The public figures page: each department's satisfaction, rectification on time and processing time
over the last 12 months, drawn as SVG charts from the open dataset, with a ranking and the method."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.db import session
from app.opendata import publish
from app.ratings import ratings, rectification
from app.ratings.models import RectificationCase
from app.tickets import lifecycle
from tests.browser.conftest import SHOTS
from tests.support.opendata import PersonalWorld, decided_application
from tests.support.residents import create_resident
from tests.support.staff import create_staff_member, load_demo_catalogue, service_id

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1366, "height": 768}
NAMES = {"gd-gat": "广东省公安厅", "gd-rst": "广东省人力资源和社会保障厅", "gd-ybj": "广东省医疗保障局"}


def _month_start(months_back: int) -> datetime:
    now = clock.local_now()
    year, month = now.year, now.month - months_back
    while month < 1:
        year, month = year - 1, month + 12
    return now.replace(year=year, month=month, day=1, hour=9, minute=0, second=0, microsecond=0)


def _rated_ticket(resident, handler, service: str, opened: datetime, hours: int, score: int):
    with clock.freeze(opened):
        ticket = lifecycle.open_ticket(resident.account_id, kind="help", service_id=service_id(service),
                                       title="咨询办理进度", description="请告知进度", contact_preference="phone")
    with clock.freeze(opened + timedelta(hours=hours)):
        lifecycle.claim(handler, ticket.id)
        for step in ("start", "resolve"):
            lifecycle.step(handler, ticket.id, step, "已答复办理进度")
        return ratings.rate_ticket(resident.account_id, ticket.id, score)


def _twelve_months_of_service():
    """Two departments rated every month (公安厅 better than 人社厅), one too rarely to publish; one bad
    rating of 公安厅 is excluded by an upheld appeal."""
    load_demo_catalogue()
    gat, rst, ybj, admin = (create_staff_member(role=role, departments=departments).principal
                            for role, departments in (("supervisor", ("gd-gat",)), ("supervisor", ("gd-rst",)),
                                                      ("supervisor", ("gd-ybj",)), ("admin", ("gd-gat",))))
    residents = [create_resident(level=3) for _ in range(6)]
    months = range(11, 0, -1) if clock.local_now().day < 3 else range(11, -1, -1)
    for back in months:
        start = _month_start(back)
        for i, resident in enumerate(residents[:5]):
            _rated_ticket(resident, gat, "gd-gat-sfz-hl", start + timedelta(hours=i), 4 + i * 3 + back,
                          5 - (i == 4) - 2 * (i == 3 and back % 3 == 0))
        for j in range(10):  # each resident twice a month: within the burst rule
            rating = _rated_ticket(residents[j % 5], rst, "gd-rst-sbk-bb", start + timedelta(hours=j),
                                   30 + 9 * j + back * 5, 2 if j < 5 else 4)
            if rating.score == 2 and back > 0:
                case = session().scalars(select(RectificationCase).where(RectificationCase.rating_id == rating.id)
                                         ).one()
                with clock.freeze(start + timedelta(days=3 if (j + back) % 3 else 30)):
                    rectification.record_outcome(rst, case.id, "已电话回访并补充说明")
        for i, resident in enumerate(residents[:5]):  # five decided applications a month
            decided_application(PersonalWorld(), resident, "gd-gat-sfz-hl", start,
                                start + timedelta(days=i + back % 4), start + timedelta(days=5))
        if back % 4 == 0:
            _rated_ticket(residents[5], ybj, "gd-ybj-yd-ba", start, 10, 3)
    appealed = _rated_ticket(residents[5], gat, "gd-gat-sfz-bl", _month_start(1) + timedelta(hours=8), 2, 1)
    case = session().scalars(select(RectificationCase).where(RectificationCase.rating_id == appealed.id)).one()
    with clock.freeze(_month_start(1) + timedelta(hours=12)):
        rectification.file_appeal(gat, case.id, "评价内容与本工单无关，系误评")
        rectification.decide_appeal(admin, case.id, rectification.UPHELD, "核实为误评")


def _open(browser, viewport, name):
    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page, errors


def test_the_figures_page_charts_each_departments_last_twelve_months_with_a_ranking(site, browser, client):
    _twelve_months_of_service()
    publish.publish_all()
    rows = client.get("/api/v1/open-data/department-quality-monthly/rows?page_size=1000").json
    last_month = _month_start(1).strftime("%Y-%m")
    [gat] = [r for r in rows if r["department_code"] == "gd-gat" and r["month"] == last_month]
    assert gat["ratings"] == 5 and gat["average_score"] == 4.8  # the upheld appeal's 1 is not counted

    months = {_month_start(back).strftime("%Y-%m") for back in range(12)}
    expected = {}
    for code in ("gd-gat", "gd-rst", "gd-ybj"):
        usable = [r for r in rows if r["department_code"] == code and r["month"] in months and r["ratings"]]
        n = sum(r["ratings"] for r in usable)
        expected[code] = f"{sum(r['satisfied_share'] * r['ratings'] for r in usable) / n * 100:.1f}%" if n else "—"
    assert list(expected.values())[2] == "—"  # 医保局: never 5 ratings in a month

    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("phone", {"width": 375, "height": 667}), ("desktop", DESKTOP)):
        context, page, errors = _open(browser, viewport, label)
        page.goto(f"{site['stub']}/figures/")
        page.wait_for_selector(".dept svg")
        ranking = page.locator(".rank tbody tr")
        assert [ranking.nth(i).get_attribute("data-department") for i in range(ranking.count())] == [
            "gd-gat", "gd-rst", "gd-ybj"]
        for i, (code, share) in enumerate(expected.items()):
            cells = ranking.nth(i).locator("td")
            assert cells.nth(0).inner_text() == ("" if share == "—" else str(i + 1))
            assert cells.nth(1).inner_text() == NAMES[code] and cells.nth(2).inner_text() == share
        for code in ("gd-gat", "gd-rst"):
            card = page.locator(f'.dept[data-department="{code}"]')
            assert card.locator("svg").count() == 5
            assert card.locator("svg.series-satisfied_share circle.point").count() >= 11
            assert card.locator("svg.series-median_days path.line").count() == 1
        assert card.locator("svg.series-rectified_on_time_share circle.point").count() >= 1
        gat_card = page.locator('.dept[data-department="gd-gat"]')
        assert gat_card.locator("svg.series-application_median_days circle.point").count() >= 11
        sparse = page.locator('.dept[data-department="gd-ybj"]')
        assert "数据不足" in sparse.inner_text()  # fewer than 5 a month: nothing published, nothing drawn
        assert "申诉成立" in page.inner_text("#method") and "待复核" in page.inner_text("#method")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"page is {width}px wide at {viewport['width']}px"
        page.screenshot(path=str(SHOTS / f"public-figures-{label}.png"), full_page=True)
        page.screenshot(path=str(SHOTS / f"public-figures-{label}-first-screen.png"))
        context.close()
        assert not errors, errors
