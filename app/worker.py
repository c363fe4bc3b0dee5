"""The worker entry: ``dramatiq app.worker`` (or ``flask worker``) imports every actor here."""

from __future__ import annotations

import dramatiq

from app import db
from app.logs import configure_logging
from app.queue import broker
from config import get_settings

configure_logging(get_settings().log_level)

class SessionCleanup(dramatiq.Middleware):
    """Each job gets a fresh database session, as each HTTP request does."""

    def after_process_message(self, broker, message, *, result=None, exception=None):
        db.remove_session()

    after_skip_message = after_process_message

broker.add_middleware(SessionCleanup())

# Actor modules, imported for their registration with the broker.
import app.acting.coming_of_age  # noqa: E402
import app.applications.settlement  # noqa: E402
import app.audit.checkpoints  # noqa: E402
import app.halls.reminders  # noqa: E402
import app.licences.schedule  # noqa: E402
import app.opendata.publish  # noqa: E402
import app.push.delivery  # noqa: E402
import app.push.events  # noqa: E402
import app.push.newcomers  # noqa: E402
import app.push.scans  # noqa: E402
import app.push.wechat_messages  # noqa: E402
import app.ratings.settlement  # noqa: E402
import app.security.nonces  # noqa: E402
import app.system.heartbeat  # noqa: E402, F401
from app.datafiles import validate_all  # noqa: E402

validate_all()  # every data file under config/: a bad one stops the worker at start, naming the file and field
