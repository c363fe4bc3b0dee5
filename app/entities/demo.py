"""Demo companies in Guangzhou and Shenzhen with their licences and annual reports (``flask seed``).

``DEMO_ENTITIES`` is exported so the web stub can register the same companies (and their legal
representatives) in the emulator's market registry; the first one's representative is the stub's
demo resident 张三, who can therefore bind it end to end. Licence dates are relative to the day
of seeding: one food licence is always 20 days from expiry, one transport licence is suspended.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from app import clock
from app.audit.log import Actor
from app.db import transactional
from app.entities import lifecycle
from app.licences import register as licences

DEMO_ENTITIES: list[dict[str, Any]] = [
    {"uscc": "91440104MA59C7KD13", "name": "广州市越秀区粤味轩餐饮有限公司", "type": "有限责任公司（自然人投资或控股）",
     "status": "operating", "registered_address": "广州市越秀区北京路238号首层",
     "legal_representative": {"name": "张三", "id_number": "440106199005170014"}},
    {"uscc": "91440300MA5FQ2LP32", "name": "深圳市鹏城智运物流有限公司", "type": "有限责任公司",
     "status": "operating", "registered_address": "深圳市南山区粤海街道科技园南区深南大道9988号",
     "legal_representative": {"name": "李晓梅", "id_number": "440305198502140481"}},
]

_ACTOR = Actor("system", "demo")


def _years_before(day: date, years: int) -> date:
    return day.replace(year=day.year - years) + timedelta(days=1)


def _licences(today: date) -> list[dict[str, Any]]:
    food_until = today + timedelta(days=20)
    transport_until = today + timedelta(days=700)
    return [
        {"number": "GS44010400012345", "type_code": "business_licence", "uscc": DEMO_ENTITIES[0]["uscc"],
         "issuer": "广州市越秀区市场监督管理局", "issued_on": date(2019, 6, 12), "valid_until": None},
        {"number": "JY14401040056789", "type_code": "food_business_licence", "uscc": DEMO_ENTITIES[0]["uscc"],
         "issuer": "广州市越秀区市场监督管理局", "issued_on": _years_before(food_until, 5), "valid_until": food_until},
        {"number": "粤卫公证字[2024]第0104A0321号", "type_code": "public_health_licence",
         "uscc": DEMO_ENTITIES[0]["uscc"], "issuer": "广州市越秀区卫生健康局", "issued_on": date(2024, 3, 1),
         "valid_until": date(2028, 2, 29)},
        {"number": "GS44030000098765", "type_code": "business_licence", "uscc": DEMO_ENTITIES[1]["uscc"],
         "issuer": "深圳市市场监督管理局", "issued_on": date(2020, 9, 8), "valid_until": None},
        {"number": "粤交运管许可深字440300123456号", "type_code": "road_transport_licence",
         "uscc": DEMO_ENTITIES[1]["uscc"], "issuer": "深圳市交通运输局",
         "issued_on": _years_before(transport_until, 4), "valid_until": transport_until},
    ]


SUSPENDED = ("粤交运管许可深字440300123456号", "车辆年度审验逾期未办理，暂扣至整改完成")


@transactional
def seed() -> None:
    today = clock.today()
    entities = {}
    for demo in DEMO_ENTITIES:
        rep = demo["legal_representative"]
        entities[demo["uscc"]] = lifecycle.upsert_entity(
            uscc=demo["uscc"], name=demo["name"], type=demo["type"], registered_address=demo["registered_address"],
            actor=_ACTOR, representative=(rep["name"], rep["id_number"]), stage=demo["status"])
    for item in _licences(today):
        licences.upsert_licence(number=item["number"], type_code=item["type_code"], holder=entities[item["uscc"]],
                                issued_on=item["issued_on"], valid_until=item["valid_until"], issuer=item["issuer"])
    suspended = licences.find_licence(SUSPENDED[0])
    if suspended is not None and suspended.state == "valid":
        licences.change_licence_state(suspended, "suspend", SUSPENDED[1], today)
    last_year = today.year - 1
    lifecycle.upsert_annual_report(entities[DEMO_ENTITIES[0]["uscc"]], last_year - 1, "submitted",
                                   date(last_year, 4, 18))
    lifecycle.upsert_annual_report(entities[DEMO_ENTITIES[1]["uscc"]], last_year, "not_submitted", None)
