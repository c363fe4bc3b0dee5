"""办事: service guides (public), applications (the applicant), department processing (staff)."""

from __future__ import annotations

import functools
from typing import Any

from flask import Response, request
from flask.views import MethodView

from api.applications.schemas import (
    APPLICATION_EXAMPLE,
    CASE_EXAMPLE,
    EVENT_EXAMPLE,
    GUIDE_EXAMPLE,
    GUIDE_SUMMARY_EXAMPLE,
    RULE_OUTCOME_EXAMPLE,
    SUMMARY_EXAMPLE,
    UPLOAD_EXAMPLE,
    ApplicationCaseSchema,
    ApplicationSchema,
    ApplicationSummarySchema,
    AttachSchema,
    EventSchema,
    FormPatchSchema,
    GuideQuerySchema,
    GuideSchema,
    GuideSummarySchema,
    MessageOptionalSchema,
    MyApplicationsQuerySchema,
    NewApplicationSchema,
    OpinionSchema,
    ReasonOptionalSchema,
    RefusalReasonSchema,
    RequiredOpinionSchema,
    StaffQueueQuerySchema,
    SupplementSchema,
    UploadFormSchema,
    UploadSchema,
)
from api.blueprint import Blueprint, current_principal, current_staff, paged, window
from api.ratings.schemas import RATING_EXAMPLE, RateSchema, RatingSchema
from app.acting.models import APPLY_SERVICES
from app.applications import drafts, lifecycle, processing, queues, rating, uploads
from app.applications import errors as e
from app.applications.guides import search_guides
from app.applications.views import application_view, events_of
from app.db import transactional
from app.errors import NotFound
from app.identity.errors import LevelRequired
from app.identity.models import L1
from app.ratings.errors import RatingPeriodOver
from app.staff.models import SUPERVISOR

blp = Blueprint("applications", __name__, url_prefix="/api/v1", description="办事：办事指南、申请与办理")

UPLOAD_LIMIT = uploads.MAX_BYTES + 64 * 1024  # the file and its multipart envelope


FILE_RESPONSE = {"200": {"description": "文件内容（application/pdf、image/jpeg 或 image/png，按内容识别）", "content": {
    kind: {"schema": {"type": "string", "format": "binary"}, "example": example}
    for kind, example in (("application/pdf", "%PDF-1.7 …"), ("image/jpeg", "\\xff\\xd8\\xff…"),
                          ("image/png", "\\x89PNG…"))}}}


def _view(application) -> Any:
    return application_view(application)


@transactional
def _read(account_id: int, application_id: int):
    from app.applications.access import applicant_application

    return application_view(applicant_application(account_id, application_id))


@transactional
def _events(account_id: int, application_id: int):
    from app.applications.access import applicant_application

    return events_of(applicant_application(account_id, application_id))


def _file_response(found: tuple[uploads.UploadView, bytes]) -> Response:
    view, data = found
    response = Response(data, mimetype=view.content_type)
    response.headers["Content-Disposition"] = "attachment; filename*=UTF-8''" + _quote(view.file_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


def _upload_limit(func):
    """Uploads may be larger than other requests (5 MB), so the limit is raised for this view only."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        request.max_content_length = UPLOAD_LIMIT
        return func(*args, **kwargs)

    return wrapper


# ---------------------------------------------------------------- guides (public)

@blp.route("/service-guides")
class Guides(MethodView):
    @blp.public
    @blp.arguments(GuideQuerySchema, location="query")
    @blp.response(200, GuideSummarySchema(many=True), example=[GUIDE_SUMMARY_EXAMPLE])
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Search the service guides: Chinese keywords, department, who may apply."""
        return paged(pagination_parameters, search_guides(window(pagination_parameters), **args))


@blp.route("/service-guides/<guide_code>")
class OneGuide(MethodView):
    @blp.public
    @blp.response(200, GuideSchema, example=GUIDE_EXAMPLE)
    @blp.errors(e.GuideNotFound)
    def get(self, guide_code):
        """One service guide (办事指南): conditions, legal basis, deadlines, fields, materials, result."""
        return drafts.require_guide(guide_code)


# ---------------------------------------------------------------- the applicant

@blp.route("/applications")
class Applications(MethodView):
    @blp.auth(L1, acting=APPLY_SERVICES)
    @blp.arguments(NewApplicationSchema, example={"service_code": "gd-gat-sfz-hl", "origin": "push:id_card_expiring"})
    @blp.response(201, ApplicationSchema, example=APPLICATION_EXAMPLE)
    @blp.errors(e.GuideNotFound, e.ApplicantNotEligible, LevelRequired, NotFound, e.ApplicationNotFound,
                e.BirthRecordNotFound, e.ChildNotFound)
    def post(self, body):
        """Start (or resume) my draft of a service, prefilled from what the government holds."""
        return _view(drafts.create_draft(current_principal(), body.pop("service_code"), **body))


@blp.route("/me/applications")
class MyApplications(MethodView):
    @blp.auth(L1, acting=APPLY_SERVICES)
    @blp.arguments(MyApplicationsQuerySchema, location="query")
    @blp.response(200, ApplicationSummarySchema(many=True), example=[SUMMARY_EXAMPLE])
    @blp.errors(NotFound)
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """My applications, newest first (a life event's parts are inside it); or a company's."""
        return paged(pagination_parameters,
                     queues.my_applications(current_principal(), window(pagination_parameters), **args))


@blp.route("/applications/<int:application_id>")
class MyApplication(MethodView):
    @blp.auth(L1, acting=APPLY_SERVICES)
    @blp.response(200, ApplicationSchema, example=APPLICATION_EXAMPLE)
    @blp.errors(e.ApplicationNotFound)
    def get(self, application_id):
        """My application: its form with each value's source, materials, deadline, parts, decision."""
        return _read(current_principal().account_id, application_id)

    @blp.auth(L1, acting=APPLY_SERVICES)
    @blp.arguments(FormPatchSchema, example={"fields": {"reason": "有效期满",
                                                       "mailing_address": "广州市天河区体育西路1号"}})
    @blp.response(200, ApplicationSchema, example={**APPLICATION_EXAMPLE, "typed_count": 1})
    @blp.errors(e.ApplicationNotFound, e.ApplicationIllegalTransition, e.FieldLocked, e.FormInvalid)
    def patch(self, body, application_id):
        """Fill in or change fields of my draft (or of a case sent back for 补正); authoritative ones are locked."""
        return _view(drafts.update_form(current_principal(), application_id, body["fields"]))


@blp.route("/applications/<int:application_id>/events")
class MyApplicationEvents(MethodView):
    @blp.auth(L1, acting=APPLY_SERVICES)
    @blp.response(200, EventSchema(many=True), example=[EVENT_EXAMPLE])
    @blp.errors(e.ApplicationNotFound)
    def get(self, application_id):
        """My application's progress timeline (with its parts' steps for a life event)."""
        return _events(current_principal().account_id, application_id)


@blp.route("/applications/<int:application_id>/materials/<material_code>")
class AttachMaterial(MethodView):
    @blp.auth(L1, acting=APPLY_SERVICES)
    @blp.arguments(AttachSchema, example={"certificate_id": 7})
    @blp.response(200, ApplicationSchema, example=APPLICATION_EXAMPLE)
    @blp.errors(e.ApplicationNotFound, e.ApplicationIllegalTransition, e.MaterialUnknown, e.MaterialNotAttachable,
                e.CertificateNotUsable, NotFound)
    def put(self, body, application_id, material_code):
        """Attach a held e-certificate (or the company's licence) to a material, by reference (免提交)."""
        return _view(drafts.attach_certificate(current_principal(), application_id, material_code, **body))


@blp.route("/applications/<int:application_id>/materials/<material_code>/upload")
class UploadMaterial(MethodView):
    accepts_any_body = True  # multipart/form-data (the 415 guard lets it through)

    @blp.auth(L1, acting=APPLY_SERVICES)
    @_upload_limit
    @blp.arguments(UploadFormSchema, location="files")
    @blp.response(201, UploadSchema, example=UPLOAD_EXAMPLE)
    @blp.errors(e.ApplicationNotFound, e.ApplicationIllegalTransition, e.MaterialUnknown, e.MaterialNotAttachable,
                e.UploadRejected, e.UploadNameInvalid)
    def post(self, files, application_id, material_code):
        """Upload a file for a material marked 上传 (PDF, JPEG or PNG by content, at most 5 MB)."""
        upload = files["file"]
        data = upload.stream.read(uploads.MAX_BYTES + 1)
        return uploads.upload_material(current_principal(), application_id, material_code, upload.filename, data)


@blp.route("/applications/<int:application_id>/uploads/<int:upload_id>")
class MyUpload(MethodView):
    @blp.auth(L1, acting=APPLY_SERVICES)
    @blp.doc(responses=FILE_RESPONSE)
    @blp.errors(e.ApplicationNotFound, e.UploadNotFound)
    def get(self, application_id, upload_id):
        """A file I uploaded for my application."""
        return _file_response(uploads.applicant_file(current_principal(), application_id, upload_id))


@blp.route("/applications/<int:application_id>/submit")
class SubmitApplication(MethodView):
    @blp.auth(L1, acting=APPLY_SERVICES)
    @blp.response(200, ApplicationSchema, example={
        **APPLICATION_EXAMPLE, "service_code": "gd-jgj-jsz-hz", "state": "completed", "state_name": "已办结",
        "decision": "approved", "rule_outcome": RULE_OUTCOME_EXAMPLE,
        "result": {"kind": "certificate", "type": "driving_licence", "certificate_id": 31, "number_masked": "4****1",
                   "valid_until": "2036-12-03", "authority": "gd-gat-jgj"}})
    @blp.errors(e.ApplicationNotFound, e.ApplicationIllegalTransition, e.FormInvalid, e.MaterialsMissing,
                e.CertificateNotUsable, e.IssuingFailed)
    def post(self, application_id):
        """Submit my draft. A 秒批 service whose rule holds is approved at once (rule, facts, why);
        a life event (一件事) creates one part per department."""
        return _view(lifecycle.submit(current_principal(), application_id))


@blp.route("/applications/<int:application_id>/resubmit")
class ResubmitApplication(MethodView):
    @blp.auth(L1, acting=APPLY_SERVICES)
    @blp.arguments(MessageOptionalSchema, example={"message": "已上传新的租赁合同"})
    @blp.response(200, ApplicationSchema, example={**APPLICATION_EXAMPLE, "state": "in_review"})
    @blp.errors(e.ApplicationNotFound, e.ApplicationIllegalTransition, e.FormInvalid, e.CertificateNotUsable)
    def post(self, body, application_id):
        """Answer a 补正 request: the case goes back to the department and its deadline clock restarts."""
        return _view(lifecycle.resubmit(current_principal(), application_id, body.get("message")))


@blp.route("/applications/<int:application_id>/withdraw")
class WithdrawApplication(MethodView):
    @blp.auth(L1, acting=APPLY_SERVICES)
    @blp.arguments(ReasonOptionalSchema, example={"reason": "已到窗口办理"})
    @blp.response(200, ApplicationSchema, example={**APPLICATION_EXAMPLE, "state": "withdrawn"})
    @blp.errors(e.ApplicationNotFound, e.ApplicationIllegalTransition)
    def post(self, body, application_id):
        """Withdraw my application before a decision (or discard my draft)."""
        return _view(lifecycle.withdraw(current_principal(), application_id, body.get("reason")))


@blp.route("/applications/<int:application_id>/rating")
class RateApplication(MethodView):
    @blp.auth(L1)
    @blp.arguments(RateSchema, example={"score": 5, "comment": "网上提交，三天拿证", "tags": ["效率高"]})
    @blp.response(201, RatingSchema, example={**RATING_EXAMPLE, "ticket_id": None, "score": 5})
    @blp.errors(e.ApplicationNotFound, e.NotDecided, e.AlreadyRated, RatingPeriodOver)
    def post(self, body, application_id):
        """Rate my decided application, once (一事一评); 1–2 opens a rectification case."""
        return rating.rate_application(current_principal(), application_id, **body)


# ---------------------------------------------------------------- department staff

@blp.route("/staff/applications")
class StaffQueue(MethodView):
    @blp.staff()
    @blp.arguments(StaffQueueQuerySchema, location="query")
    @blp.response(200, ApplicationSummarySchema(many=True), example=[SUMMARY_EXAMPLE])
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """My departments' applications by state, service and overdue, earliest deadline first."""
        return paged(pagination_parameters,
                     queues.staff_queue(current_staff(), window(pagination_parameters), **args))


@blp.route("/staff/application-deadlines")
class DeadlineWatch(MethodView):
    @blp.staff(role=SUPERVISOR)
    @blp.response(200, ApplicationSummarySchema(many=True), example=[{**SUMMARY_EXAMPLE, "overdue": True}])
    @blp.paginate()
    def get(self, pagination_parameters):
        """Running cases past their promised deadline or due within two working days (supervisor)."""
        return paged(pagination_parameters, queues.deadline_watch(current_staff(), window(pagination_parameters)))


@blp.route("/staff/applications/<int:application_id>")
class StaffCase(MethodView):
    @blp.staff()
    @blp.response(200, ApplicationCaseSchema, example=CASE_EXAMPLE)
    @blp.errors(e.ApplicationNotFound)
    def get(self, application_id):
        """Open a case: the applicant's data, form, materials and timeline (recorded in their data tracker)."""
        return processing.open_case(current_staff(), application_id)


@blp.route("/staff/applications/<int:application_id>/uploads/<int:upload_id>")
class StaffUpload(MethodView):
    @blp.staff()
    @blp.doc(responses=FILE_RESPONSE)
    @blp.errors(e.ApplicationNotFound, e.UploadNotFound)
    def get(self, application_id, upload_id):
        """An uploaded material of a case (recorded in the applicant's data tracker)."""
        return _file_response(uploads.staff_file(current_staff(), application_id, upload_id))


STAFF_ERRORS = (e.ApplicationNotFound, e.ApplicationIllegalTransition)


@blp.route("/staff/applications/<int:application_id>/accept")
class AcceptApplication(MethodView):
    @blp.staff()
    @blp.arguments(OpinionSchema, example={"opinion": "材料齐全，予以受理"})
    @blp.response(200, ApplicationSchema, example={**APPLICATION_EXAMPLE, "state": "accepted"})
    @blp.errors(*STAFF_ERRORS)
    def post(self, body, application_id):
        """受理: the promised deadline starts, in working days from today."""
        return processing.accept(current_staff(), application_id, body.get("opinion"))


@blp.route("/staff/applications/<int:application_id>/refuse")
class RefuseApplication(MethodView):
    @blp.staff()
    @blp.arguments(RefusalReasonSchema, example={"reason": "申请人户籍不在本省，请向户籍地公安机关申请"})
    @blp.response(200, ApplicationSchema, example={**APPLICATION_EXAMPLE, "state": "not_accepted"})
    @blp.errors(*STAFF_ERRORS)
    def post(self, body, application_id):
        """不予受理, with the reason."""
        return processing.refuse(current_staff(), application_id, body["reason"])


@blp.route("/staff/applications/<int:application_id>/review")
class ReviewApplication(MethodView):
    @blp.staff()
    @blp.arguments(OpinionSchema, example={"opinion": "开始审查"})
    @blp.response(200, ApplicationSchema, example={**APPLICATION_EXAMPLE, "state": "in_review"})
    @blp.errors(*STAFF_ERRORS)
    def post(self, body, application_id):
        """Start reviewing an accepted case."""
        return processing.start_review(current_staff(), application_id, body.get("opinion"))


@blp.route("/staff/applications/<int:application_id>/supplement")
class SupplementApplication(MethodView):
    @blp.staff()
    @blp.arguments(SupplementSchema, example={"message": "租赁合同缺少出租人签字页，请重新上传",
                                              "fields": [], "materials": ["tenancy"]})
    @blp.response(200, ApplicationSchema, example={**APPLICATION_EXAMPLE, "state": "supplement_requested"})
    @blp.errors(*STAFF_ERRORS, e.FormInvalid)
    def post(self, body, application_id):
        """补正: which fields and materials, with a message; the deadline clock stops."""
        return processing.request_supplement(current_staff(), application_id, **body)


@blp.route("/staff/applications/<int:application_id>/approve")
class ApproveApplication(MethodView):
    @blp.staff()
    @blp.arguments(RequiredOpinionSchema, example={"opinion": "符合换领条件，准予换领"})
    @blp.response(200, ApplicationSchema, example={
        **APPLICATION_EXAMPLE, "state": "completed", "decision": "approved",
        "result": {"kind": "certificate", "type": "resident_id_card", "certificate_id": 7,
                   "number_masked": "4****************1", "valid_until": "2046-12-03", "authority": "gd-gat"}})
    @blp.errors(*STAFF_ERRORS, e.IssuingFailed)
    def post(self, body, application_id):
        """Approve and issue the result into the wallet (or the company's licences); 办结. A referenced
        certificate no longer current sends the case to 补正 instead."""
        return processing.approve(current_staff(), application_id, body["opinion"])


@blp.route("/staff/applications/<int:application_id>/reject")
class RejectApplication(MethodView):
    @blp.staff()
    @blp.arguments(RefusalReasonSchema, example={"reason": "不符合《居住证暂行条例》第二条规定的申领条件"})
    @blp.response(200, ApplicationSchema, example={**APPLICATION_EXAMPLE, "state": "completed",
                                                   "decision": "rejected"})
    @blp.errors(*STAFF_ERRORS)
    def post(self, body, application_id):
        """不予批准, with the reason (the written decision is delivered: 办结)."""
        return processing.reject(current_staff(), application_id, body["reason"])
