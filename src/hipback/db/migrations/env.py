"""Alembic environment: the engine comes from ``hipback.db.engine.alembic_config``."""

from __future__ import annotations

from alembic import context

from hipback.db import tables  # noqa: F401  (registers the tables)
from hipback.db.base import Base

engine = context.config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()
