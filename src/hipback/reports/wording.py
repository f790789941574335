"""Plain-language wording for reports (``reports/data/wording.toml``), schema-checked."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from hipback.errors import ConfigurationError


class Wording(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1]
    version: str
    domains: dict[str, str]
    purposes: dict[str, str]
    handout_safety: tuple[str, ...]

    def domain(self, instrument: str, fallback: str) -> str:
        """What ``instrument`` measures, e.g. "Walking speed (10-metre walk)"."""
        return self.domains.get(instrument, fallback)

    def purpose(self, category: str) -> str:
        return self.purposes.get(category, "")


def parse_wording(text: str, origin: str = "wording.toml") -> Wording:
    try:
        return Wording.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{origin}: not valid TOML: {exc}") from None
    except ValidationError as exc:
        where = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(file)'}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigurationError(f"{origin}: {where}") from None


@cache
def load_wording() -> Wording:
    path = resources.files("hipback.reports") / "data" / "wording.toml"
    return parse_wording(path.read_text(encoding="utf-8"))
