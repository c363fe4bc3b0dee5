"""Every model module, imported so the metadata is complete (Alembic, tests, seeders)."""

from app.audit import models as _audit  # noqa: F401
from app.certificates import models as _certificates  # noqa: F401
from app.identity import models as _identity  # noqa: F401
from app.intake import models as _intake  # noqa: F401
from app.people import models as _people  # noqa: F401
from app.system import heartbeat as _heartbeat  # noqa: F401
