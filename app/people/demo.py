"""Demo people: who the web stub can log in as, and the records authorities "sent" about them.

The ID numbers are valid GB 11643 numbers made up for the demo; a demo resident who completes
real-name verification with one of them finds these records (and the certificates seeded by
``app.certificates.demo``) waiting.
"""

from __future__ import annotations

from datetime import date

from app.db import transactional
from app.people.household import link, set_address
from app.people.persons import ensure_person
from app.people.timeline import record_authority_event

DEMO_SOURCE = "demo-seed"

DEMO_RESIDENTS: list[dict[str, str]] = [
    {"name": "张三", "id_number": "440106199005170137", "phone": "13800138000"},
    {"name": "李四", "id_number": "44030419851102024X", "phone": "13800138001"},
    {"name": "王五", "id_number": "440106196208080410", "phone": "13800138002"},
]
# Not a resident of the app: 张三 and 李四's daughter, born 2020 (turns 6 in 2026).
DEMO_CHILD = {"name": "张小宝", "id_number": "440106202003010329"}

_EVENTS = [
    ("440106199005170137", "birth", date(1990, 5, 17), {"place_area_code": "440106"}),
    ("440106199005170137", "school_enrolment", date(1996, 9, 1), {"school": "广州市天河区第一小学",
                                                                   "stage": "primary"}),
    ("440106199005170137", "employment", date(2012, 7, 1), {"employer": "广州某科技有限公司"}),
    ("440106199005170137", "marriage", date(2018, 10, 1), {"registry_office": "广州市天河区婚姻登记处"}),
    ("440106199005170137", "childbirth", date(2020, 3, 1), {"child_sex": "female"}),
    ("44030419851102024X", "marriage", date(2018, 10, 1), {"registry_office": "广州市天河区婚姻登记处"}),
    ("44030419851102024X", "childbirth", date(2020, 3, 1), {"child_sex": "female"}),
    ("440106202003010329", "birth", date(2020, 3, 1), {"place_area_code": "440106"}),
]


@transactional
def seed() -> None:
    people = {r["id_number"]: ensure_person(r["id_number"], r["name"]) for r in [*DEMO_RESIDENTS, DEMO_CHILD]}
    zhang, li, wang, child = (people[r["id_number"]] for r in [*DEMO_RESIDENTS, DEMO_CHILD])
    set_address(zhang, "household", "广东省广州市天河区天河路 100 号", "440106", DEMO_SOURCE)
    set_address(li, "residence", "广东省广州市天河区天河路 100 号", "440106", DEMO_SOURCE)
    set_address(wang, "household", "广东省广州市越秀区中山五路 1 号", "440104", DEMO_SOURCE)
    link(zhang, li, "spouse", DEMO_SOURCE)
    link(child, zhang, "parent", DEMO_SOURCE)
    link(child, li, "parent", DEMO_SOURCE)
    for index, (id_number, kind, day, payload) in enumerate(_EVENTS):
        record_authority_event(people[id_number], kind, day, payload, authority_id=DEMO_SOURCE,
                               record_id=f"demo-event-{index}")
