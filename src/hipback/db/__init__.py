"""Persistence: the only package that imports SQLAlchemy and Alembic."""

from hipback.db.engine import make_engine, upgrade

__all__ = ["make_engine", "upgrade"]
