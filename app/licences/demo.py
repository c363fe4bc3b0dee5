"""The demo companies' licences (``flask seed``, after ``app.entities.demo``).

Dates are relative to the day of seeding: one food licence is always 20 days from expiry, one
transport licence is suspended.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from app import clock
from app.db import transactional
from app.entities.demo import DEMO_ENTITIES
from app.entities.lifecycle import entity_or_reject
from app.licences import register as licences


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
    for item in _licences(today):
        licences.upsert_licence(number=item["number"], type_code=item["type_code"],
                                holder=entity_or_reject(item["uscc"]), issued_on=item["issued_on"],
                                valid_until=item["valid_until"], issuer=item["issuer"])
    suspended = licences.find_licence(SUSPENDED[0])
    if suspended is not None and suspended.state == "valid":
        licences.change_licence_state(suspended, "suspend", SUSPENDED[1], today)
