"""The datasets yss publishes: each one's data dictionary, where every field comes from, and its builder.

A field names the columns (``table.column``) its values are computed from; publishing refuses a
dataset any of whose fields reads a column on the negative list (``app.opendata.publish``). A
``count`` field is suppressed below the negative list's threshold, and every ``figure`` computed
over it (``counted_by``) with it. Builders return raw rows; they never see the threshold.

Hook for 办事 (issue 13): when ``app.applications`` lands, an ``application-times-monthly`` dataset
(per department and 事项: applications decided, median and p90 working days, share within the
promised deadline) is added here with a builder like ``_ticket_times``, and its three figures join
``department-quality-monthly``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app import clock
from app.db import session
from app.entities.models import Entity
from app.licences.catalogue import catalogue as licence_catalogue
from app.licences.models import Licence
from app.licences.status import licence_status
from app.opendata.figures import local_month, rating_figures, ticket_figures
from app.staff.models import Department, Service
from app.tickets.sla import RESOLUTION_DAYS

DIMENSION, COUNT, FIGURE = "dimension", "count", "figure"
TYPES = ("string", "integer", "number")
LICENCE = {"id": "CC-BY-4.0", "name": "知识共享署名 4.0 国际许可协议",
           "url": "https://creativecommons.org/licenses/by/4.0/deed.zh-hans"}


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    meaning: str
    unit: str | None
    sources: tuple[str, ...]
    role: str = DIMENSION
    counted_by: str | None = None


@dataclass(frozen=True)
class Dataset:
    code: str
    title: str
    description: str
    publisher: str
    fields: tuple[Field, ...]
    build: Callable[[], list[dict[str, Any]]]
    additive: bool = False  # counts only: rows may be merged (summed) when a dimension is closed


def _departments() -> dict[int, Department]:
    return {d.id: d for d in session().scalars(select(Department))}


def _services() -> dict[int, Service]:
    return {s.id: s for s in session().scalars(select(Service))}


def district_of(uscc: str) -> str:
    """GB 32100: characters 3–8 of the credit code are the registering authority's area code (GB/T 2260)."""
    return uscc[2:8]


def _service_catalogue() -> list[dict[str, Any]]:
    departments = _departments()
    rows = []
    for service in session().scalars(select(Service).order_by(Service.code)):
        d = departments[service.department_id]
        rows.append({"service_code": service.code, "service_name": service.name, "department_code": d.code,
                     "department_name": d.name, "department_level": d.level, "region": d.region,
                     **{f"{kind}_days": days for kind, days in RESOLUTION_DAYS.items()}})
    return rows


def _licences() -> list[dict[str, Any]]:
    today, types = clock.today(), licence_catalogue()
    counts: dict[tuple[str, str, str], int] = {}
    for licence, uscc in session().execute(select(Licence, Entity.uscc).join(Entity, Entity.id == Licence.entity_id)):
        key = (licence.type_code, district_of(uscc), licence_status(licence, today))
        counts[key] = counts.get(key, 0) + 1
    return [{"licence_type": t, "licence_type_name": types[t].name if t in types else t, "district_code": district,
             "status": status, "licences": n} for (t, district, status), n in sorted(counts.items())]


def _entities() -> list[dict[str, Any]]:
    counts: dict[tuple[str, str, str], int] = {}
    for uscc, stage, kind in session().execute(select(Entity.uscc, Entity.stage, Entity.type)):
        key = (stage, district_of(uscc), kind)
        counts[key] = counts.get(key, 0) + 1
    return [{"stage": stage, "district_code": district, "entity_type": kind, "entities": n}
            for (stage, district, kind), n in sorted(counts.items())]


def _ratings() -> list[dict[str, Any]]:
    departments, services = _departments(), _services()
    figures = rating_figures(lambda r: (local_month(r.created_at), r.department_id, r.service_id))
    rows = []
    for (month, department_id, service_id), f in sorted(figures.items()):
        d, s = departments[department_id], services[service_id]
        rows.append({"month": month, "department_code": d.code, "department_name": d.name,
                     "service_code": s.code, "service_name": s.name, **f})
    return rows


def _ticket_times() -> list[dict[str, Any]]:
    departments = _departments()
    figures = ticket_figures(lambda t: (local_month(t.resolved_at), t.department_id, t.kind))
    return [{"month": month, "department_code": departments[d].code, "department_name": departments[d].name,
             "ticket_kind": kind, **f} for (month, d, kind), f in sorted(figures.items())]


def department_quality_rows() -> list[dict[str, Any]]:
    """One row per department and month with ratings or resolved tickets (the figures page and the report)."""
    departments = _departments()
    ratings = rating_figures(lambda r: (local_month(r.created_at), r.department_id))
    tickets = ticket_figures(lambda t: (local_month(t.resolved_at), t.department_id))
    empty_ratings = {"ratings": 0, "average_score": None, "satisfied_share": None, "bad_share": None,
                     "rectifications_counted": 0, "rectified_on_time_share": None}
    empty_tickets = {"tickets_resolved": 0, "median_days": None, "p90_days": None, "on_time_share": None}
    return [{"month": month, "department_code": departments[d].code, "department_name": departments[d].name,
             **ratings.get((month, d), empty_ratings), **tickets.get((month, d), empty_tickets)}
            for month, d in sorted(set(ratings) | set(tickets))]


_DEPT = (
    Field("department_code", "string", "部门编码", None, ("departments.code",)),
    Field("department_name", "string", "部门名称", None, ("departments.name",)),
)
_MONTH = Field("month", "string", "统计月份（北京时间自然月，YYYY-MM）", None,
               ("ratings.created_at", "tickets.resolved_at"))
_RATING_FIGURES = (
    Field("ratings", "integer", "计入统计的评价数（不含申诉成立、待复核的评价）", "件", ("ratings.id",), COUNT),
    Field("average_score", "number", "平均分（1 非常不满意 … 5 非常满意）", "分", ("ratings.score",), FIGURE,
          "ratings"),
    Field("satisfied_share", "number", "满意率：3–5 分评价占比", "比例（0–1）", ("ratings.score",), FIGURE, "ratings"),
    Field("bad_share", "number", "差评率：1–2 分评价占比", "比例（0–1）", ("ratings.score",), FIGURE, "ratings"),
    Field("rectifications_counted", "integer", "已整改或已到期的差评整改件数", "件",
          ("rectification_cases.state", "rectification_cases.due"), COUNT),
    Field("rectified_on_time_share", "number", "整改按期率：期限内整改完成的占比", "比例（0–1）",
          ("rectification_cases.outcome_at", "rectification_cases.due"), FIGURE, "rectifications_counted"),
)
_TICKET_FIGURES = (
    Field("tickets_resolved", "integer", "当月办结的工单数", "件", ("tickets.resolved_at",), COUNT),
    Field("median_days", "number", "办理时长中位数（受理至办结，自然日）", "天",
          ("tickets.created_at", "tickets.resolved_at"), FIGURE, "tickets_resolved"),
    Field("p90_days", "number", "办理时长第90百分位（最近秩法）", "天",
          ("tickets.created_at", "tickets.resolved_at"), FIGURE, "tickets_resolved"),
    Field("on_time_share", "number", "按期办结率：在受理时确定的期限内办结的占比", "比例（0–1）",
          ("tickets.resolved_at", "tickets.resolution_due"), FIGURE, "tickets_resolved"),
)

DATASETS: tuple[Dataset, ...] = (
    Dataset("service-catalogue", "政务服务事项目录", "各部门的服务事项，及以之为对象的工单承诺办结时限（工作日）。",
            "yss", (
                Field("service_code", "string", "事项编码", None, ("services.code",)),
                Field("service_name", "string", "事项名称", None, ("services.name",)),
                *_DEPT,
                Field("department_level", "string", "部门层级（province 省级 · city 市级）", None,
                      ("departments.level",)),
                Field("region", "string", "所属地区", None, ("departments.region",)),
                *(Field(f"{kind}_days", "integer", f"{label}工单承诺办结时限", "工作日", ())
                  for kind, label in (("consultation", "咨询"), ("help", "求助"), ("suggestion", "建议"),
                                      ("complaint", "投诉"))),
            ), _service_catalogue),
    Dataset("licences-by-type-district-status", "证照数量（按类型、区县、状态）",
            "各类许可证照的数量，按登记机关所在区县和当前状态统计。", "yss", (
                Field("licence_type", "string", "证照类型编码", None, ("licences.type_code",)),
                Field("licence_type_name", "string", "证照类型名称", None, ("licences.type_code",)),
                Field("district_code", "string", "区县代码（GB/T 2260，取自统一社会信用代码第3–8位）", None,
                      ("entities.uscc",)),
                Field("status", "string", "当前状态（valid 有效 · expiring 临期 · expired 过期 · suspended 暂扣 · "
                      "revoked 吊销 · cancelled 注销）", None, ("licences.state", "licences.valid_until")),
                Field("licences", "integer", "证照数量", "张", ("licences.id",), COUNT),
            ), _licences, additive=True),
    Dataset("entities-by-stage-district", "市场主体数量（按阶段、区县）",
            "市场主体数量，按生命周期阶段、登记机关所在区县和主体类型统计。", "yss", (
                Field("stage", "string", "生命周期阶段", None, ("entities.stage",)),
                Field("district_code", "string", "区县代码（GB/T 2260，取自统一社会信用代码第3–8位）", None,
                      ("entities.uscc",)),
                Field("entity_type", "string", "主体类型", None, ("entities.type",)),
                Field("entities", "integer", "主体数量", "户", ("entities.id",), COUNT),
            ), _entities, additive=True),
    Dataset("ratings-monthly", "好差评月度统计（按部门、事项）",
            "每月每个部门、每个事项的评价数、平均分、差评率和整改按期率。", "yss", (
                _MONTH, *_DEPT,
                Field("service_code", "string", "事项编码", None, ("services.code",)),
                Field("service_name", "string", "事项名称", None, ("services.name",)),
                *_RATING_FIGURES,
            ), _ratings),
    Dataset("ticket-times-monthly", "工单办理时长月度统计（按部门、工单类型）",
            "每月每个部门各类工单的办结数、办理时长中位数和第90百分位、按期办结率。", "yss", (
                _MONTH, *_DEPT,
                Field("ticket_kind", "string", "工单类型（consultation 咨询 · help 求助 · suggestion 建议 · "
                      "complaint 投诉）", None, ("tickets.kind",)),
                *_TICKET_FIGURES,
            ), _ticket_times),
    Dataset("department-quality-monthly", "部门服务质量月度评价",
            "每月每个部门的满意度、整改按期率和工单办理时长：公开评价页和按评价付费月报使用的数据。", "yss", (
                _MONTH, *_DEPT, *_RATING_FIGURES, *_TICKET_FIGURES,
            ), department_quality_rows),
)

