"""Every model module, imported so the metadata is complete (Alembic, tests, seeders)."""

from app.acting import models as _acting  # noqa: F401
from app.applications import models as _applications  # noqa: F401
from app.audit import models as _audit  # noqa: F401
from app.certificates import models as _certificates  # noqa: F401
from app.entities import models as _entities  # noqa: F401
from app.halls import models as _halls  # noqa: F401
from app.identity import models as _identity  # noqa: F401
from app.intake import models as _intake  # noqa: F401
from app.licences import models as _licences  # noqa: F401
from app.oidc import models as _oidc  # noqa: F401
from app.opendata import models as _opendata  # noqa: F401
from app.people import models as _people  # noqa: F401
from app.push import models as _push  # noqa: F401
from app.ratings import models as _ratings  # noqa: F401
from app.security import nonces as _nonces  # noqa: F401
from app.staff import models as _staff  # noqa: F401
from app.system import heartbeat as _heartbeat  # noqa: F401
from app.tickets import models as _tickets  # noqa: F401
