"""The certificates area's errors."""

from app.errors import NotFound


class CertificateUnknown(NotFound):
    code, message = "certificate_unknown", "证照不存在"
