"""People: the person behind each verified resident, household links, addresses, life events."""

from app.people import linking  # noqa: F401  (links a resident's records when identity verifies them)
