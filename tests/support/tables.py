"""What the database holds, read back as text: for tests that no personal value is stored in clear."""

from sqlalchemy import text

import app.models  # noqa: F401
from app.db import Base, get_engine


def dump_every_table() -> str:
    chunks = []
    with get_engine().connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(text(f"SELECT * FROM {table.name}")):
                chunks.append(" ".join(str(value) for value in row))
    return "\n".join(chunks)
