"""秒批: a service's decision rule, as data, tested at submission on authoritative facts only.

When every condition holds, the application is accepted and approved at once by the rule; the rule,
its version, the facts it used and a plain-Chinese explanation are kept on the application and shown
to the applicant ("why"). When any fails, the outcome (with the failed conditions) is kept and the
application waits for staff like any other.
"""

from __future__ import annotations

from typing import Any

from app import clock
from app.applications import deadlines
from app.applications.guides import Condition, Guide
from app.applications.holdings import Holdings
from app.applications.models import Application
from app.db import session
from app.entities.lifecycle import find_entity
from app.people.models import Person

NOT_MET = "不符合自动审批条件，已转工作人员办理。"
OP_TEXT = {"eq": "等于", "ne": "不等于", "in": "属于", "gte": "不小于", "lte": "不大于", "gt": "大于", "lt": "小于"}


def holds(condition: Condition, value: Any) -> bool:
    if value is None:
        return False
    expected = condition.value
    try:
        return {"eq": lambda: value == expected, "ne": lambda: value != expected, "in": lambda: value in expected,
                "gte": lambda: value >= expected, "lte": lambda: value <= expected,
                "gt": lambda: value > expected, "lt": lambda: value < expected}[condition.op]()
    except TypeError:
        return False


def evaluate(application: Application, guide: Guide) -> dict[str, Any]:
    rule = guide.decision_rule
    assert rule is not None
    person = session().query(Person).filter(Person.account_id == application.applicant_account_id).first()
    entity = find_entity(application.entity_uscc) if application.entity_uscc else None
    facts = Holdings.read(application.applicant_account_id, person, None, entity).facts(
        [c.fact for c in rule.conditions])
    checked = [{"fact": c.fact, "op": c.op, "expected": c.value, "actual": facts[c.fact],
                "holds": holds(c, facts[c.fact]), "text": f"{c.fact} {OP_TEXT[c.op]} {c.value}"}
               for c in rule.conditions]
    met = all(c["holds"] for c in checked)
    return {"rule": {"id": rule.id, "version": rule.version}, "facts": facts, "conditions": checked, "holds": met,
            "explain": rule.explain if met else NOT_MET, "checked_at": clock.now().isoformat()}


def decide_by_rule(application: Application, guide: Guide) -> bool:
    """Decide at submission when the rule holds (True); otherwise leave it to staff (False)."""
    from app.applications.issuing import issue_result
    from app.applications.lifecycle import move

    outcome = evaluate(application, guide)
    application.rule_outcome = outcome
    rule_ref = f"{outcome['rule']['id']}@{outcome['rule']['version']}"
    if not outcome["holds"]:
        failed = [c["fact"] for c in outcome["conditions"] if not c["holds"]]
        session().add(_event(application, "rule_not_met", {"rule": outcome["rule"], "failed": failed}))
        return False
    now = clock.now()
    move(application, "accept", "rule", rule_ref, {"rule": outcome["rule"]})
    deadlines.start(application, guide.promised_days, now)
    move(application, "approve", "rule", rule_ref, {"rule": outcome["rule"], "facts": outcome["facts"]},
         tell=outcome["explain"])
    application.decision, application.decision_reason, application.decided_at = "approved", outcome["explain"], now
    application.result = issue_result(application, guide)
    move(application, "complete", "system", None, {"result": application.result})
    application.completed_at = now
    return True


def _event(application: Application, kind: str, details: dict[str, Any]):
    from app.applications.models import ApplicationEvent

    return ApplicationEvent(application_id=application.id, at=clock.now(), actor_type="rule",
                            actor_id=None, kind=kind, from_state=application.state, to_state=application.state,
                            details=details)
