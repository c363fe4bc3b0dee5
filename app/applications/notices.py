"""Telling the applicant of each step of their application, through push (inbox and WeChat).

Progress notices are in category ``applications``, which the applicant may switch off for WeChat;
decisions (批准, 不予批准, 不予受理) are in ``decisions``, which no one can switch off: a decision is
delivered. Each notice is keyed by the application event it reports, so it is written exactly once;
WeChat delivery follows the push pipeline (consent, quiet hours, the daily cap, the delivery job).
"""

from __future__ import annotations

from app.applications.models import Application, ApplicationEvent
from app.push.content import WeChatMessage
from app.push.fitting import fit_value
from app.push.notify import notify
from app.push.rules import load_templates

PROGRESS, DECISIONS = "applications", "decisions"
DECISION_KINDS = ("approved", "rejected", "not_accepted")

TEXTS = {
    "submitted": ("办件已提交", "您的“{service}”申请（{number}）已提交，等待{department}受理。"),
    "accepted": ("办件已受理", "您的“{service}”申请（{number}）已受理，承诺{days}个工作日内办结。"),
    "in_review": ("办件审查中", "您的“{service}”申请（{number}）已进入审查。"),
    "not_accepted": ("办件不予受理", "您的“{service}”申请（{number}）不予受理：{reason}"),
    "supplement_requested": ("办件需要补正", "您的“{service}”申请（{number}）需要补正：{reason}"),
    "approved": ("办件已批准", "您的“{service}”申请（{number}）已批准。{reason}"),
    "rejected": ("办件不予批准", "您的“{service}”申请（{number}）不予批准：{reason}"),
    "completed": ("办件已办结", "您的“{service}”申请（{number}）已办结，欢迎评价。"),
}


def tell_applicant(application: Application, event: ApplicationEvent, *, service: str, department: str,
                   days: int = 0, reason: str = "") -> None:
    """Put the notice of ``event`` in the applicant's inbox (joins the caller's transaction)."""
    title, body = TEXTS[event.kind]
    body = body.format(service=service, number=application.number, department=department, days=days,
                       reason=reason or "").strip()
    template = load_templates()["notice"]
    message = WeChatMessage(template.template_id, template.kind,
                            {"thing1": fit_value("thing", title), "thing2": fit_value("thing", body)})
    target = application.bundle_id or application.id
    notify([application.applicant_account_id], category=DECISIONS if event.kind in DECISION_KINDS else PROGRESS,
           title=title, body=body, page=f"pages/applications/detail?id={target}",
           why={"rule": {"id": "application_notice", "version": 1, "trigger": f"办件{event.kind}"},
                "facts": {"application": application.number, "step": event.kind}},
           dedupe_key=f"application_notice:{event.id}", rule_id="application_notice", template=message)
