"""一事一评: the applicant rates one decided application once, on the five-level scale.

The rating is an ordinary rating of the service (``app.ratings``): it feeds the same aggregates per
department, service and staff member, and a bad one opens a rectification case the same way. It is
given within 7 days of the decision, as for tickets.
"""

from __future__ import annotations

from app import clock
from app.applications import errors
from app.applications.access import applicant_application
from app.applications.models import ApplicationEvent
from app.db import session, transactional
from app.identity.sessions import Principal
from app.ratings.errors import RatingPeriodOver
from app.ratings.models import Rating
from app.ratings.ratings import RATING_PERIOD, check_score
from app.ratings.rectification import open_case_if_bad

DECIDED = ("approved", "rejected", "not_accepted")


@transactional
def rate_application(principal: Principal, application_id: int, score: int, comment: str | None = None,
                     tags: list[str] | None = None) -> Rating:
    tags = tags or []
    check_score(score, tags)
    application = applicant_application(principal.account_id, application_id, lock=True)
    if application.decision not in DECIDED:
        raise errors.NotDecided()
    if application.rating_id is not None:
        raise errors.AlreadyRated(details={"rating_id": application.rating_id})
    now = clock.now()
    if application.decided_at is not None and now > application.decided_at + RATING_PERIOD:
        raise RatingPeriodOver()
    rating = Rating(account_id=principal.account_id, service_id=application.service_id,
                    department_id=application.department_id, staff_id=application.handled_by, score=score,
                    comment=comment, tags=list(tags), created_at=now, updated_at=now)
    session().add(rating)
    session().flush()
    open_case_if_bad(rating)
    application.rating_id = rating.id
    session().add(ApplicationEvent(application_id=application.id, at=now, actor_type="applicant",
                                   actor_id=str(principal.account_id), kind="rated", from_state=application.state,
                                   to_state=application.state, details={"score": score, "rating_id": rating.id}))
    return rating
