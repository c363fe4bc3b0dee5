"""The service guides (办事指南): ``config/catalogues/service_guides.toml``, checked at start.

Each guide extends one service of the one catalogue of 事项 (``services.toml``, which names it and
its owning department): who may apply, the level, conditions, legal basis, fee, promised and
statutory deadlines in working days, channel, the form fields with their prefill sources, the
materials and how each is satisfied, the result, an optional 秒批 decision rule, and for a life
event (一件事) the services its one form fans out to.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.audit.data_catalogue import label_kind
from app.certificates.catalogue import certificate_types
from app.datafiles import CONFIG_DIR, DataFileError, Entry, read_toml
from app.licences.catalogue import catalogue as licence_types
from app.paging import Page, Window, page_of
from app.staff.catalogue import read_catalogue

GUIDES_FILE = CONFIG_DIR / "catalogues" / "service_guides.toml"

PERSON, ENTITY, BOTH = "person", "entity", "both"
APPLICANTS = (PERSON, ENTITY, BOTH)
ONLINE, ONE_VISIT = "online", "one_visit"
CHANNEL_NAMES = {ONLINE: "全程网办", ONE_VISIT: "最多跑一次"}
FIELD_KINDS = ("text", "date", "choice")
MATERIAL_KINDS = ("certificate", "licence", "fact", "upload")
RESULT_KINDS = ("certificate", "licence", "decision")
OPERATORS = ("eq", "ne", "in", "gte", "lte", "gt", "lt")

# Prefill sources: (who holds the value, whether the applicant may change it). Certificate and
# licence sources are named by type and read from the held document (see SOURCE_PATTERNS).
SOURCES: dict[str, tuple[str, bool]] = {
    "person.name": ("公安机关 · 人口信息", True),
    "person.id_number": ("公安机关 · 人口信息", True),
    "person.birth_date": ("公安机关 · 人口信息", True),
    "person.sex": ("公安机关 · 人口信息", True),
    "person.household_address": ("公安机关 · 户籍信息", True),
    "person.residence_address": ("本人登记 · 居住地址", False),
    "account.phone": ("本人绑定 · 手机号码", False),
    "entity.uscc": ("市场监督管理局 · 企业登记信息", True),
    "entity.name": ("市场监督管理局 · 企业登记信息", True),
    "entity.registered_address": ("市场监督管理局 · 企业登记信息", True),
    "child.name": ("卫生健康部门 · 出生医学信息", True),
    "child.id_number": ("公安机关 · 人口信息", True),
    "child.birth_date": ("卫生健康部门 · 出生医学信息", True),
    "child.sex": ("卫生健康部门 · 出生医学信息", True),
}
CERTIFICATE_FIELDS = ("number", "issued_on", "expires_on")
LICENCE_FIELDS = ("number", "issued_on", "valid_until")
# Facts a 秒批 rule may test: all authoritative, none typed by the applicant.
RULE_FACTS = ("person.age", "person.area_code", "person.sex", "entity.stage", "entity.type")
RULE_FACT_SUFFIXES = ("status", "days_to_expiry")


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    source: str | None
    kind: str
    required: bool
    max_length: int
    choices: tuple[str, ...]

    @property
    def authoritative(self) -> bool:
        return self.source is not None and source_is_authoritative(self.source)


@dataclass(frozen=True)
class Material:
    code: str
    name: str
    by: str  # certificate | licence | fact | upload
    type: str | None  # the certificate or licence type
    source: str | None  # the fact, for by = fact
    required: bool


@dataclass(frozen=True)
class Result:
    kind: str  # certificate | licence | decision
    type: str | None
    valid_years: int | None
    # The result replaces the document of that type attached as a material: a licence keeps its
    # number (延续); a certificate under another number is revoked as superseded (换领).
    renews: bool


@dataclass(frozen=True)
class Condition:
    fact: str
    op: str
    value: Any


@dataclass(frozen=True)
class DecisionRule:
    id: str
    version: int
    explain: str
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Guide:
    code: str
    name: str
    department_code: str
    department_name: str
    applicant: str
    level: int
    channel: str
    promised_days: int
    statutory_days: int
    fee: str
    conditions: tuple[str, ...]
    legal_basis: tuple[str, ...]
    fields: tuple[FormField, ...]
    materials: tuple[Material, ...]
    result: Result
    decision_rule: DecisionRule | None
    parts: tuple[str, ...]

    @property
    def channel_name(self) -> str:
        return CHANNEL_NAMES[self.channel]

    @property
    def instant(self) -> bool:
        return self.decision_rule is not None

    @property
    def prefilled(self) -> bool:
        return any(f.source for f in self.fields)

    def field(self, key: str) -> FormField | None:
        return next((f for f in self.fields if f.key == key), None)

    def material(self, code: str) -> Material | None:
        return next((m for m in self.materials if m.code == code), None)


def source_is_authoritative(source: str) -> bool:
    if source in SOURCES:
        return SOURCES[source][1]
    return True  # certificate.* and licence.*: read from the issued document


def _valid_source(source: str) -> bool:
    if source in SOURCES:
        return True
    head, _, rest = source.partition(".")
    kind, _, attr = rest.partition(".")
    if head == "certificate":
        return kind in certificate_types() and attr in CERTIFICATE_FIELDS
    if head == "licence":
        return kind in licence_types() and attr in LICENCE_FIELDS
    return False


def _valid_rule_fact(fact: str) -> bool:
    if fact in RULE_FACTS:
        return True
    head, _, rest = fact.partition(".")
    kind, _, attr = rest.partition(".")
    known = {"certificate": certificate_types(), "licence": licence_types()}.get(head, {})
    return kind in known and attr in RULE_FACT_SUFFIXES


def _field(path: Path, where: str, raw: Any) -> FormField:
    e = Entry(path, where, raw, {"key", "label", "source", "kind", "required", "max", "choices"})
    key = e.text("key")
    if not key.replace("_", "").isalnum() or not key.islower() or len(key) > 40:
        raise e.error("key", "lower_snake_case, at most 40 characters")
    source = e.text("source", None)
    if source is not None and not _valid_source(source):
        raise e.error("source", "unknown prefill source (see the list at the top of the file)")
    kind = e.choice("kind", FIELD_KINDS, "text")
    choices = tuple(e.strings("choices", []))
    if (kind == "choice") != bool(choices):
        raise e.error("choices", "a choice field needs choices, and only a choice field has them")
    return FormField(key, e.text("label"), source, kind, e.boolean("required", True),
                     e.integer("max", 1, 2000, 200), choices)


def _material(path: Path, where: str, raw: Any) -> Material:
    e = Entry(path, where, raw, {"code", "name", "by", "type", "source", "required"})
    by = e.choice("by", MATERIAL_KINDS)
    kind, source = e.text("type", None), e.text("source", None)
    if by == "certificate" and kind not in certificate_types():
        raise e.error("type", f"expected a certificate type: {', '.join(certificate_types())}")
    if by == "licence" and kind not in licence_types():
        raise e.error("type", f"expected a licence type: {', '.join(licence_types())}")
    if by in ("fact", "upload") and kind is not None:
        raise e.error("type", f"a {by} material has no type")
    if (by == "fact") != (source is not None) or (source is not None and source not in SOURCES):
        raise e.error("source", "a fact material names one profile or entity source; others none")
    return Material(e.text("code"), e.text("name"), by, kind, source, e.boolean("required", True))


def _result(path: Path, where: str, raw: Any) -> Result:
    e = Entry(path, where, raw, {"kind", "type", "valid_years", "renews"})
    kind = e.choice("kind", RESULT_KINDS)
    code = e.text("type", None)
    known = {"certificate": certificate_types(), "licence": licence_types()}.get(kind)
    if known is None and code is not None:
        raise e.error("type", "a decision has no type")
    if known is not None and code not in known:
        raise e.error("type", f"expected a {kind} type: {', '.join(known)}")
    years = e.integer("valid_years", 1, 100, None)
    renews = e.boolean("renews", False)
    if renews and kind not in ("certificate", "licence"):
        raise e.error("renews", "only a certificate or licence result renews a held one")
    return Result(kind, code, years, renews)


def _rule(path: Path, where: str, raw: Any) -> DecisionRule:
    e = Entry(path, where, raw, {"id", "version", "explain", "conditions"})
    items = raw.get("conditions")
    if not isinstance(items, list) or not items:
        raise e.error("conditions", "at least one condition")
    conditions = []
    for i, item in enumerate(items):
        c = Entry(path, f"{where}.conditions[{i}]", item, {"fact", "op", "value"})
        fact = c.text("fact")
        if not _valid_rule_fact(fact):
            raise c.error("fact", "not an authoritative fact a rule may test")
        op = c.choice("op", OPERATORS)
        value = item.get("value")
        if op == "in" and not (isinstance(value, list) and value):
            raise c.error("value", "a non-empty list for op = in")
        if op in ("gte", "lte", "gt", "lt") and (not isinstance(value, int) or isinstance(value, bool)):
            raise c.error("value", "a whole number for a comparison")
        if op in ("eq", "ne") and not isinstance(value, str | int):
            raise c.error("value", "a string or a whole number")
        conditions.append(Condition(fact, op, value))
    return DecisionRule(e.text("id"), e.integer("version", 1, 10_000), e.text("explain"), tuple(conditions))


_GUIDE_KEYS = {"service", "applicant", "level", "channel", "promised_days", "statutory_days", "fee", "conditions",
               "legal_basis", "fields", "materials", "result", "decision_rule", "parts"}


def load_guides(path: Path = GUIDES_FILE) -> dict[str, Guide]:
    services = {s.code: (s.name, d) for d in read_catalogue() for s in d.services}
    data = read_toml(path)
    raw_guides = data.get("guides")
    if not isinstance(raw_guides, list) or not raw_guides:
        raise DataFileError(path, "guides", "at least one [[guides]] table")
    guides: dict[str, Guide] = {}
    for index, raw in enumerate(raw_guides):
        where = f"guides[{index}]"
        e = Entry(path, where, raw, _GUIDE_KEYS)
        code = e.text("service")
        where = f"guides[{code}]"
        e = Entry(path, where, raw, _GUIDE_KEYS)
        if code not in services:
            raise e.error("service", "not a service code of services.toml")
        if code in guides:
            raise e.error("service", "this service has a guide already")
        name, department = services[code]
        promised = e.integer("promised_days", 1, 365)
        statutory = e.integer("statutory_days", 1, 365)
        if promised > statutory:
            raise e.error("promised_days", "the promised deadline cannot exceed the statutory one")
        for key in ("fields", "materials"):
            if not isinstance(raw.get(key, []), list):
                raise e.error(key, "expected a list of tables")
        fields = tuple(_field(path, f"{where}.fields[{i}]", f) for i, f in enumerate(raw.get("fields", [])))
        if len({f.key for f in fields}) != len(fields):
            raise e.error("fields", "two fields have the same key")
        materials = tuple(_material(path, f"{where}.materials[{i}]", m)
                          for i, m in enumerate(raw.get("materials", [])))
        if len({m.code for m in materials}) != len(materials):
            raise e.error("materials", "two materials have the same code")
        if "result" not in raw:
            raise e.error("result", "required, e.g. { kind = \"decision\" }")
        rule = _rule(path, f"{where}.decision_rule", raw["decision_rule"]) if "decision_rule" in raw else None
        guides[code] = Guide(
            code=code, name=name, department_code=department.code, department_name=department.name,
            applicant=e.choice("applicant", APPLICANTS), level=e.integer("level", 1, 3),
            channel=e.choice("channel", (ONLINE, ONE_VISIT)), promised_days=promised, statutory_days=statutory,
            fee=e.text("fee", "免费"), conditions=tuple(e.strings("conditions")),
            legal_basis=tuple(e.strings("legal_basis")), fields=fields, materials=materials,
            result=_result(path, f"{where}.result", raw["result"]), decision_rule=rule,
            parts=tuple(e.strings("parts", [])))
    for code, guide in guides.items():
        for part in guide.parts:
            if part not in guides or guides[part].parts:
                raise DataFileError(path, f"guides[{code}].parts", f"{part} is not a guide of a single service")
    return guides


@functools.cache
def guides() -> dict[str, Guide]:
    loaded = load_guides()
    _check_rules_name_known_services(loaded)
    return loaded


def _check_rules_name_known_services(loaded: dict[str, Guide]) -> None:
    """A push rule naming the service that acts on it (``service = "<code>"``) must name a guide."""
    from app.push.rules import RULES_DIR, rules

    for rule in rules().values():
        if rule.service is not None and rule.service not in loaded:
            raise DataFileError(RULES_DIR / rule.source, "service",
                                f"unknown service {rule.service!r}: not in {GUIDES_FILE.name}")


def find_guide(code: str) -> Guide | None:
    return guides().get(code)


def search_guides(window: Window, q: str | None = None, department: str | None = None,
                  applicant: str | None = None) -> Page[Guide]:
    """Guides whose name, department or conditions contain ``q`` (Chinese, as typed)."""
    found = []
    words = [w for w in (q or "").split() if w]
    for guide in guides().values():
        if department and guide.department_code != department:
            continue
        if applicant and guide.applicant not in (applicant, BOTH):
            continue
        text = " ".join((guide.name, guide.department_name, guide.code, *guide.conditions))
        if all(w.lower() in text.lower() for w in words):
            found.append(guide)
    return page_of(found, window)




def _material_label(code: str) -> str:
    names = {m.code: m.name for guide in guides().values() for m in guide.materials}
    return f"申请材料：{names.get(code, '其他材料')}"


label_kind("material", _material_label)  # the data tracker's label of ``material:<code>``
