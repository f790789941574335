"""Settings, read from ``HIPBACK_*`` environment variables at the edge (CLI callback, app factory).

Nothing here runs at import time: call :func:`load_settings` and pass the result down.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_SQLITE = "sqlite:///var/hipback.sqlite3"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HIPBACK_", extra="forbid", frozen=True)

    database_url: str = Field(
        default=DEFAULT_SQLITE,
        description="SQLAlchemy URL; SQLite (embedded default) or postgresql+psycopg://…",
    )
    demo: bool = Field(default=False, description="Serve clearly labelled synthetic demo data.")
    debug_sql: bool = Field(default=False, description="Echo SQL statements to the log.")
    audit_key: SecretStr | None = Field(
        default=None,
        description="Key for signing audit checkpoints (HMAC-SHA256); keep it outside the "
        "database and its backups.",
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses or networks of reverse proxies whose "
        "X-Forwarded-For / X-Forwarded-Proto headers are believed (empty: none).",
    )
    login_free_failures: int = Field(
        default=5,
        ge=1,
        le=100,
        description="Failed sign-ins per account and client before exponential back-off.",
    )
    login_max_wait_s: int = Field(
        default=300,
        ge=1,
        le=3600,
        description="Longest wait between sign-in tries once throttled (the cool-down), s.",
    )
    session_minutes: int = Field(
        default=60, ge=30, le=180, description="Clinic session length, minutes (MASH: one hour)."
    )
    country: str = Field(
        default="US",
        description="Country whose public holidays close the clinic (ISO code, e.g. US, GB); "
        "empty for none.",
    )
    subdivision: str = Field(
        default="", description="State or province adding its own holidays (e.g. DE); optional."
    )
    closure_dates: Annotated[tuple[date, ...], NoDecode] = Field(
        default=(), description="Other days the clinic is closed: YYYY-MM-DD,YYYY-MM-DD."
    )
    closed_weekdays: str = Field(
        default="sat,sun", description="Weekdays the clinic is closed, e.g. sat,sun."
    )

    @field_validator("closure_dates", mode="before")
    @classmethod
    def _dates(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(t.strip() for t in value.split(",") if t.strip())
        return value

    def sqlite_path(self) -> Path | None:
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and self.database_url != "sqlite:///:memory:":
            return Path(self.database_url[len(prefix) :])
        return None


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)  # type: ignore[arg-type]
