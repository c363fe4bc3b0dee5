"""The service-quality figures, worked by hand for one department and one month: counted ratings only
(no upheld appeal, no held burst), rectification on time over the decided cases, processing times."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app import clock
from app.applications.models import Application
from app.db import session, transactional
from app.opendata import publish
from app.ratings import ratings, rectification
from app.ratings.models import RectificationCase
from app.tickets import lifecycle
from tests.support.opendata import PersonalWorld, decided_application
from tests.support.residents import create_resident
from tests.support.staff import create_staff_member, load_demo_catalogue, service_id
from tests.support.tickets import ticket_in_state

MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SCORES = (1, 2, 1, 2, 2, 5, 4, 3, 5, 5)  # tickets resolved 1…10 days after opening


@transactional
def _not_accepted(application_id: int) -> None:
    """不予受理: decided without ever being accepted, so not a processing time."""
    session().get(Application, application_id).accepted_at = None


def _case(rating_id: int) -> RectificationCase:
    return session().scalars(select(RectificationCase).where(RectificationCase.rating_id == rating_id)).one()


def test_a_months_figures_for_a_department_are_worked_out_as_the_page_says(client):
    load_demo_catalogue()
    handler_user = create_staff_member()
    handler, supervisor, admin = (handler_user.principal, *(create_staff_member(role=role).principal
                                                           for role in ("supervisor", "admin")))
    residents = [create_resident(level=3) for _ in range(12)]
    for k, (resident, score) in enumerate(zip(residents, SCORES, strict=False), start=1):
        with clock.freeze(MONDAY):
            ticket = lifecycle.open_ticket(resident.account_id, kind="consultation",
                                           service_id=service_id("gd-gat-sfz-hl"), title="咨询", description="咨询",
                                           contact_preference="phone")
        with clock.freeze(MONDAY + timedelta(days=k)):
            lifecycle.claim(handler, ticket.id)
            lifecycle.step(handler, ticket.id, "start")
            lifecycle.step(handler, ticket.id, "resolve", "已答复")
            rating = ratings.rate_ticket(resident.account_id, ticket.id, score)
        if k <= 4:  # cases 1–3 rectified in 2 days, case 4 after 40 (late); case 5 never (past due)
            with clock.freeze(MONDAY + timedelta(days=k + (2 if k <= 3 else 40))):
                rectification.record_outcome(supervisor, _case(rating.id).id, "已回访并整改")
    burster, appealed = residents[10], residents[11]
    with clock.freeze(MONDAY - timedelta(days=30)):  # only users rate a service: cases resolved in October
        for resident, times in ((burster, 3), (appealed, 1)):
            for _ in range(times):
                ticket_in_state(resident.account_id, handler_user, "resolved", service="gd-gat-sfz-bl")
    with clock.freeze(MONDAY):
        held = [ratings.rate_service(burster.account_id, service_id("gd-gat-sfz-bl"), s) for s in (5, 5, 1)]
        wrong = ratings.rate_service(appealed.account_id, service_id("gd-gat-sfz-bl"), 1)
        rectification.file_appeal(supervisor, _case(wrong.id).id, "评价对象与本部门事项无关")
        rectification.decide_appeal(admin, _case(wrong.id).id, rectification.UPHELD, "核实误评")
    assert [r.held_for_review for r in held] == [False, False, True]

    world = PersonalWorld()
    for k, resident in enumerate(residents[:5], start=1):  # accepted Monday, due Thursday, decided after k days
        decided_application(world, resident, "gd-gat-sfz-hl", MONDAY, MONDAY + timedelta(days=k),
                            MONDAY + timedelta(days=3))
    refused = decided_application(world, residents[5], "gd-gat-sfz-hl", MONDAY, MONDAY, MONDAY, "not_accepted")
    _not_accepted(refused.id)

    with clock.freeze(datetime(2027, 1, 5, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))):
        publish.publish_all()
    [row] = [r for r in client.get("/api/v1/open-data/department-quality-monthly/rows").json
             if r["month"] == "2026-11"]
    assert row == {
        "month": "2026-11", "department_code": "gd-gat", "department_name": "广东省公安厅",
        "ratings": 12, "average_score": 3.33, "satisfied_share": 0.5833, "bad_share": 0.4167,  # 40/12; 7 and 5 of 12
        "rectifications_counted": 5, "rectified_on_time_share": 0.6,
        "tickets_resolved": 10, "median_days": 5.5, "p90_days": 9.0,
        "on_time_share": 0.2,  # consultation: by the end of the 2nd working day (Wed 4 Nov): days 1 and 2
        "applications_decided": 5, "application_median_days": 3.0, "application_p90_days": 5.0,
        "application_on_time_share": 0.6,  # decided after 1, 2 and 3 days, by Thursday
    }
    by_service = {r["service_code"]: r for r in client.get("/api/v1/open-data/ratings-monthly/rows").json
                  if r["month"] == "2026-11"}
    assert by_service["gd-gat-sfz-hl"]["ratings"] == 10
    assert by_service["gd-gat-sfz-bl"]["ratings"] is None and by_service["gd-gat-sfz-bl"]["average_score"] is None
