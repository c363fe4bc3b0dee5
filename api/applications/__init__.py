"""The 办事 API (``routes``: guides, applications, processing; ``schemas``: shapes and examples)."""

from api.applications.routes import blp

__all__ = ["blp"]
