"""办事: service guides, applications prefilled from what the government holds, department processing."""

from app.applications import rateable  # noqa: F401  (decided applications entitle their applicant to rate)
