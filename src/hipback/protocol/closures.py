"""Public holidays of the clinic's country, from the maintained ``holidays`` package.

``public_holidays("US", None, 2026)`` → {date: name} of the country's public holidays (for the
US, the federal holidays and their observed days). A subdivision (state, province) adds its
own. The package computes the dates from rules, offline; nothing is downloaded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache

import holidays

from hipback.errors import InvalidInput

EXAMPLES = "an ISO 3166 country code the holidays package knows, e.g. US, GB, CA, AU, DE"


@cache
def public_holidays(country: str, subdivision: str | None, year: int) -> Mapping[dt.date, str]:
    """The public holidays of ``country`` (and ``subdivision``) in ``year``, by date."""
    try:
        found = holidays.country_holidays(country, subdiv=subdivision, years=year)
    except NotImplementedError:
        if subdivision is None or country not in holidays.list_supported_countries():
            raise InvalidInput.one("country", country, EXAMPLES) from None
        known = holidays.list_supported_countries()[country]
        raise InvalidInput.one(
            "subdivision", subdivision, f"one of {', '.join(known) or 'none'} for {country}"
        ) from None
    return {day: str(name) for day, name in sorted(found.items())}


def check(country: str, subdivision: str | None) -> None:
    """Raise :class:`InvalidInput` naming the field if the country or subdivision is unknown."""
    public_holidays(country, subdivision, 2000)
