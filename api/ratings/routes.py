"""Ratings (好差评): residents rate tickets and services; supervisors follow up bad ratings
(rectification) and read the aggregates."""

from __future__ import annotations

from flask import request
from flask.views import MethodView

from api.blueprint import Blueprint, current_principal, current_staff, paged, window
from api.ratings.schemas import (
    APPEAL_EXAMPLE,
    CASE_EXAMPLE,
    RATE_EXAMPLE,
    RATING_EXAMPLE,
    AggregateQuerySchema,
    AggregateSchema,
    AppealDecisionSchema,
    AppealFilingSchema,
    AppealQuerySchema,
    CaseQuerySchema,
    CaseSchema,
    HeldRatingSchema,
    HoldReviewSchema,
    NoteSchema,
    OutcomeSchema,
    RateSchema,
    RatingSchema,
)
from app.errors import NotFound
from app.identity.models import L2
from app.ratings import aggregates, holds, ratings, rectification
from app.ratings import errors as re
from app.staff.models import ADMIN, SUPERVISOR

blp = Blueprint("ratings", __name__, url_prefix="/api/v1", description="好差评")


@blp.route("/tickets/<int:ticket_id>/rating")
class TicketRating(MethodView):
    @blp.auth(L2)
    @blp.response(200, RatingSchema, example=RATING_EXAMPLE)
    @blp.errors(NotFound)
    def get(self, ticket_id):
        """My rating of my ticket."""
        return ratings.ticket_rating(current_principal().account_id, ticket_id)

    @blp.auth(L2)
    @blp.arguments(RateSchema, example=RATE_EXAMPLE)
    @blp.response(200, RatingSchema, example=RATING_EXAMPLE)
    @blp.errors(NotFound, re.TicketNotResolved, re.RatingLocked, re.RatingPeriodOver)
    def put(self, body, ticket_id):
        """Rate my resolved ticket once; I may change it for 24 hours. 1–2 opens a rectification."""
        return ratings.rate_ticket(current_principal().account_id, ticket_id, **body,
                                   client_address=request.remote_addr)


@blp.route("/services/<int:service_id>/ratings")
class ServiceRatings(MethodView):
    @blp.auth(L2)
    @blp.arguments(RateSchema, example={"score": 5, "comment": "窗口办理很快", "tags": ["效率高"]})
    @blp.response(201, RatingSchema, example={**RATING_EXAMPLE, "ticket_id": None, "score": 5})
    @blp.errors(NotFound, re.NoCaseToRate, re.ServiceAlreadyRated)
    def post(self, body, service_id):
        """Rate a service I have used: with a decided application or a resolved ticket for it, once per case."""
        return ratings.rate_service(current_principal().account_id, service_id, **body,
                                    client_address=request.remote_addr)


@blp.route("/ratings/<int:rating_id>")
class MyRating(MethodView):
    @blp.auth(L2)
    @blp.arguments(RateSchema, example=RATE_EXAMPLE)
    @blp.response(200, RatingSchema, example=RATING_EXAMPLE)
    @blp.errors(NotFound, re.RatingLocked, re.RatingPeriodOver)
    def put(self, body, rating_id):
        """Change my rating within 24 hours."""
        return ratings.edit_rating(current_principal().account_id, rating_id, **body)


@blp.route("/ratings/<int:rating_id>/rerating")
class Rerating(MethodView):
    @blp.auth(L2)
    @blp.arguments(RateSchema, example={"score": 4, "comment": "整改后已解决"})
    @blp.response(200, RatingSchema, example={**RATING_EXAMPLE, "score": 4, "comment": "整改后已解决",
                                              "original_score": 2, "rerated_at": "2025-10-20T02:00:00+00:00"})
    @blp.errors(NotFound, re.RerateNotOpen, re.RerateUsed, re.RatingLocked, re.RatingPeriodOver)
    def post(self, body, rating_id):
        """Rate once more after my bad rating was rectified; the new score is the one that counts."""
        return ratings.rerate(current_principal().account_id, rating_id, **body)


@blp.route("/staff/rectifications")
class Rectifications(MethodView):
    @blp.staff(role=SUPERVISOR)
    @blp.arguments(CaseQuerySchema, location="query")
    @blp.response(200, CaseSchema(many=True), example=[CASE_EXAMPLE])
    def get(self, args):
        """Rectification cases of my departments, earliest deadline first (supervisor)."""
        return rectification.cases(current_staff(), args.get("state"))


@blp.route("/staff/rectifications/<int:case_id>")
class Rectification(MethodView):
    @blp.staff(role=SUPERVISOR)
    @blp.response(200, CaseSchema, example=CASE_EXAMPLE)
    @blp.errors(NotFound)
    def get(self, case_id):
        """One rectification case."""
        return rectification.case_view(current_staff(), case_id)


@blp.route("/staff/rectifications/<int:case_id>/follow-ups")
class RectificationFollowUps(MethodView):
    @blp.staff(role=SUPERVISOR)
    @blp.arguments(NoteSchema, example={"note": "已约谈承办人，复核答复口径"})
    @blp.response(201, CaseSchema, example=CASE_EXAMPLE)
    @blp.errors(NotFound)
    def post(self, body, case_id):
        """Record a supervisor's follow-up."""
        return rectification.follow_up(current_staff(), case_id, body["note"])


@blp.route("/staff/rectifications/<int:case_id>/outcome")
class RectificationOutcome(MethodView):
    @blp.staff(role=SUPERVISOR)
    @blp.arguments(OutcomeSchema, example={"outcome": "已补充办理指引并电话回访申请人"})
    @blp.response(200, CaseSchema, example={**CASE_EXAMPLE, "state": "rectified"})
    @blp.errors(NotFound, re.CaseAlreadyRectified, re.AppealPending, re.CaseNotOpen)
    def put(self, body, case_id):
        """Record the outcome; the requester is told of it and may rate once more."""
        return rectification.record_outcome(current_staff(), case_id, body["outcome"])


@blp.route("/staff/rectifications/<int:case_id>/appeal")
class RectificationAppeal(MethodView):
    @blp.staff(role=SUPERVISOR)
    @blp.arguments(AppealFilingSchema, example={"reason": "申请人评价内容与本工单无关"})
    @blp.response(201, CaseSchema, example={**CASE_EXAMPLE, "state": "appealed", "appeal": APPEAL_EXAMPLE})
    @blp.errors(NotFound, re.AppealExists, re.CaseNotOpen)
    def post(self, body, case_id):
        """Appeal a bad rating as mistaken or malicious (supervisor of the owning department)."""
        return rectification.file_appeal(current_staff(), case_id, body["reason"])


@blp.route("/staff/rating-appeals")
class RatingAppeals(MethodView):
    @blp.staff(role=ADMIN)
    @blp.arguments(AppealQuerySchema, location="query")
    @blp.response(200, CaseSchema(many=True), example=[{**CASE_EXAMPLE, "state": "appealed",
                                                        "appeal": APPEAL_EXAMPLE}])
    def get(self, args):
        """Appealed cases of every department, oldest appeal first (admin)."""
        return rectification.appeals(args.get("pending"))


@blp.route("/staff/rating-appeals/<int:case_id>/decision")
class RatingAppealDecision(MethodView):
    @blp.staff(role=ADMIN)
    @blp.arguments(AppealDecisionSchema, example={"decision": "upheld", "note": "评价内容与工单无关，申诉成立"})
    @blp.response(200, CaseSchema, example={
        **CASE_EXAMPLE, "state": "voided",
        "appeal": {**APPEAL_EXAMPLE, "decision": "upheld", "decision_note": "评价内容与工单无关，申诉成立",
                   "decided_by": "系统管理员", "decided_at": "2025-10-12T02:00:00+00:00"}})
    @blp.errors(NotFound, re.NoPendingAppeal, re.OwnAppeal)
    def put(self, body, case_id):
        """Uphold (the rating stops counting) or reject (rectification resumes) an appeal (admin)."""
        return rectification.decide_appeal(current_staff(), case_id, body["decision"], body["note"])


HELD_EXAMPLE = {"id": 31, "service_id": 1, "department_id": 1, "ticket_id": None, "score": 1, "comment": "很差",
                "created_at": "2026-11-10T02:00:00+00:00", "held_for_review": True, "excluded": False}


@blp.route("/staff/rating-holds")
class RatingHolds(MethodView):
    @blp.staff(role=ADMIN)
    @blp.response(200, HeldRatingSchema(many=True), example=[HELD_EXAMPLE])
    @blp.paginate()
    def get(self, pagination_parameters):
        """Ratings the burst rule holds for review, oldest first (admin)."""
        return paged(pagination_parameters, holds.held_ratings(window(pagination_parameters)))


@blp.route("/staff/rating-holds/<int:rating_id>")
class RatingHold(MethodView):
    @blp.staff(role=ADMIN)
    @blp.arguments(HoldReviewSchema, example={"decision": "discard"})
    @blp.response(200, HeldRatingSchema, example={**HELD_EXAMPLE, "held_for_review": False, "excluded": True})
    @blp.errors(NotFound, re.RatingNotHeld)
    def put(self, body, rating_id):
        """Count a held rating (a bad one opens its rectification then) or discard it (admin)."""
        return holds.review(current_staff(), rating_id, body["decision"])


@blp.route("/staff/ratings/aggregates")
class RatingAggregates(MethodView):
    @blp.staff(role=SUPERVISOR)
    @blp.arguments(AggregateQuerySchema, location="query")
    @blp.response(200, AggregateSchema(many=True), example=[
        {"key": 2, "label": "公安厅工作人员 001号", "count": 4, "average": 3.5, "bad": 1, "bad_share": 0.25,
         "rectification_cases": 1, "rectified_on_time": 1, "rectified_on_time_share": 1.0}])
    def get(self, args):
        """Satisfaction of my departments by department, service, staff member or month (supervisor)."""
        return aggregates.aggregate(current_staff(), args["group_by"], month=args.get("month"),
                                    department_id=args.get("department_id"))
