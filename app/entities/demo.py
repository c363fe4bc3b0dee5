"""Demo companies in Guangzhou and Shenzhen with their annual reports (``flask seed``; their licences
are ``app.licences.demo``).

``DEMO_ENTITIES`` is exported so the web stub can register the same companies (and their legal
representatives) in the emulator's market registry; the first one's representative is the stub's
demo resident 张三, who can therefore bind it end to end. Licence dates are relative to the day
of seeding: one food licence is always 20 days from expiry, one transport licence is suspended.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app import clock
from app.audit.log import Actor
from app.db import transactional
from app.entities import lifecycle

DEMO_ENTITIES: list[dict[str, Any]] = [
    {"uscc": "91440104MA59C7KD13", "name": "广州市越秀区粤味轩餐饮有限公司", "type": "有限责任公司（自然人投资或控股）",
     "status": "operating", "registered_address": "广州市越秀区北京路238号首层",
     "legal_representative": {"name": "张三", "id_number": "440106199005170014"}},
    {"uscc": "91440300MA5FQ2LP32", "name": "深圳市鹏城智运物流有限公司", "type": "有限责任公司",
     "status": "operating", "registered_address": "深圳市南山区粤海街道科技园南区深南大道9988号",
     "legal_representative": {"name": "李晓梅", "id_number": "440305198502140481"}},
]

_ACTOR = Actor("system", "demo")


@transactional
def seed() -> None:
    today = clock.today()
    entities = {}
    for demo in DEMO_ENTITIES:
        rep = demo["legal_representative"]
        entities[demo["uscc"]] = lifecycle.upsert_entity(
            uscc=demo["uscc"], name=demo["name"], type=demo["type"], registered_address=demo["registered_address"],
            actor=_ACTOR, representative=(rep["name"], rep["id_number"]), stage=demo["status"])
    last_year = today.year - 1
    lifecycle.upsert_annual_report(entities[DEMO_ENTITIES[0]["uscc"]], last_year - 1, "submitted",
                                   date(last_year, 4, 18))
    lifecycle.upsert_annual_report(entities[DEMO_ENTITIES[1]["uscc"]], last_year, "not_submitted", None)
