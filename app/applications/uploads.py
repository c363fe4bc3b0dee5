"""Uploads: only for a material marked ``upload`` in the guide, and only PDF, JPEG or PNG by content.

The type is decided by the file's first bytes (magic numbers), never by its name or the declared
content type; at most 5 MB; a file name with a path, a control character or ``..`` is refused.
Nothing is stored on refusal: every check runs before the bytes are written, and a failed write of
the row removes the file. A file is readable by the applicant and, recorded in the applicant's data
tracker, by staff of the owning department.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from app import clock
from app.applications import errors
from app.applications.access import applicant_application, staff_application
from app.applications.drafts import EDITABLE_STATES, require_guide
from app.applications.models import Application, ApplicationUpload
from app.applications.storage import file_store
from app.db import after_commit, session, transactional
from app.identity.sessions import Principal
from app.staff.auth import StaffPrincipal

MAX_BYTES = 5 * 1024 * 1024
MAX_NAME = 120
MAGIC = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"),
         (b"\x89PNG\r\n\x1a\n", "image/png"))


@dataclass(frozen=True)
class UploadView:
    id: int
    application_id: int
    material_code: str
    file_name: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime


def sniff(data: bytes) -> str | None:
    return next((kind for magic, kind in MAGIC if data.startswith(magic)), None)


def clean_name(name: str | None) -> str:
    if not isinstance(name, str):
        raise errors.UploadNameInvalid()
    name = unicodedata.normalize("NFC", name).strip()
    if not name or len(name) > MAX_NAME or name in (".", "..") or ".." in name \
            or any(c in name for c in "/\\:") or any(unicodedata.category(c).startswith("C") for c in name):
        raise errors.UploadNameInvalid(details={"file_name": name[:MAX_NAME]})
    return name


def view_of(upload: ApplicationUpload) -> UploadView:
    return UploadView(upload.id, upload.application_id, upload.material_code, upload.file_name,
                      upload.content_type, upload.size, upload.sha256, upload.created_at)


def upload_material(principal: Principal, application_id: int, material_code: str, file_name: str | None,
                    data: bytes) -> UploadView:
    """Check everything first, then write the bytes, then the row (the file goes if the row fails)."""
    name = clean_name(file_name)
    if len(data) > MAX_BYTES:
        raise errors.UploadRejected("文件不能超过 5 MB", details={"max_bytes": MAX_BYTES, "reason": "too_large"})
    content_type = sniff(data)
    if content_type is None:
        raise errors.UploadRejected("只接受 PDF、JPEG 或 PNG 文件（按文件内容识别）",
                                    details={"reason": "type_not_allowed"})
    _check_target(principal, application_id, material_code)
    key = file_store().put(data)
    try:
        return _record(principal, application_id, material_code, name, content_type, data, key)
    except BaseException:
        file_store().delete(key)
        raise


@transactional
def _check_target(principal: Principal, application_id: int, material_code: str) -> None:
    application = applicant_application(principal.account_id, application_id)
    _material_for_upload(application, material_code)


def _material_for_upload(application: Application, material_code: str) -> None:
    if application.state not in EDITABLE_STATES:
        raise errors.ApplicationIllegalTransition("upload", application.state)
    spec = require_guide(application.service_code).material(material_code)
    if spec is None:
        raise errors.MaterialUnknown(details={"material": material_code})
    if spec.by != "upload":
        raise errors.MaterialNotAttachable(details={"material": material_code, "by": spec.by})


@transactional
def _record(principal: Principal, application_id: int, material_code: str, name: str, content_type: str,
            data: bytes, key: str) -> UploadView:
    application = applicant_application(principal.account_id, application_id, lock=True)
    _material_for_upload(application, material_code)
    upload = ApplicationUpload(application_id=application.id, material_code=material_code, file_name=name,
                               content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                               storage_key=key, created_at=clock.now())
    session().add(upload)
    session().flush()
    materials = {k: dict(v) for k, v in (application.materials or {}).items()}
    previous = materials.get(material_code, {}).get("upload_id")
    materials[material_code] = {"upload_id": upload.id}
    application.materials, application.updated_at = materials, clock.now()
    if previous:
        old = session().get(ApplicationUpload, previous)
        if old is not None:
            old_key = old.storage_key
            session().delete(old)
            after_commit(lambda: file_store().delete(old_key))
    return view_of(upload)


def _upload_of(application: Application, upload_id: int) -> ApplicationUpload:
    upload = session().get(ApplicationUpload, upload_id) if 0 < upload_id < 2**31 else None
    if upload is None or upload.application_id != application.id:
        raise errors.UploadNotFound()
    return upload


def applicant_file(principal: Principal, application_id: int, upload_id: int) -> tuple[UploadView, bytes]:
    upload = _upload_of(applicant_application(principal.account_id, application_id), upload_id)
    return view_of(upload), file_store().get(upload.storage_key)


@transactional
def staff_file(staff: StaffPrincipal, application_id: int, upload_id: int) -> tuple[UploadView, bytes]:
    from app.applications.processing import record_read

    application = staff_application(staff, application_id)
    upload = _upload_of(application, upload_id)
    record_read(staff, application, [f"material:{upload.material_code}"], "application_handling",
                upload_id=upload.id)
    return view_of(upload), file_store().get(upload.storage_key)
