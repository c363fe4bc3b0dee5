"""The open-data tests share one database full of personal data (tests/support/opendata.py)."""

from tests.support.opendata import personal_world  # noqa: F401
