"""The one error tree of hipback.

::

    HipbackError                  code
    ├── InvalidInput              invalid_input      bad values, as Problem(field, value, allowed)
    │   └── UnknownInstrument     unknown_instrument
    ├── NotFound                  not_found
    ├── Conflict                  conflict           optimistic-lock or uniqueness clash
    ├── PermissionDenied          permission_denied
    └── ConfigurationError        configuration

Edges map these once: the CLI to exit status 2 (InvalidInput) or 1 (others) with one line on
stderr per problem; the web app to HTTP 422 / 404 / 409 / 403 with the same problems as JSON.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One bad value: which field, what was given, and what is allowed."""

    field: str
    value: object
    allowed: str
    message: str = ""

    def shown_value(self) -> object:
        """The value as given, long text cut to 80 characters (errors echo it)."""
        if isinstance(self.value, str) and len(self.value) > 80:
            return self.value[:79] + "…"
        return self.value

    def __str__(self) -> str:
        text = f"{self.field}: got {self.shown_value()!r}; allowed: {self.allowed}"
        return f"{text} ({self.message})" if self.message else text

    def as_dict(self) -> dict[str, object]:
        """JSON-safe: non-finite numbers and other values become their text."""
        value = self.shown_value()
        if isinstance(value, float) and not math.isfinite(value):
            value = str(value)
        elif not isinstance(value, str | int | float | bool | None):
            value = repr(value)
        return {
            "field": self.field,
            "value": value,
            "allowed": self.allowed,
            "message": self.message,
        }


class HipbackError(Exception):
    """Base of every error hipback raises on purpose."""

    code = "hipback_error"


class InvalidInput(HipbackError, ValueError):
    """Input that cannot be used; ``problems`` names every bad field at once."""

    code = "invalid_input"

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("InvalidInput needs at least one Problem")
        super().__init__("; ".join(str(p) for p in self.problems))

    @classmethod
    def one(cls, field: str, value: object, allowed: str, message: str = "") -> InvalidInput:
        return cls([Problem(field, value, allowed, message)])


class UnknownInstrument(InvalidInput):
    code = "unknown_instrument"


class NotFound(HipbackError):
    code = "not_found"


class Conflict(HipbackError):
    code = "conflict"


class PermissionDenied(HipbackError):
    code = "permission_denied"


class ConfigurationError(HipbackError):
    code = "configuration"
