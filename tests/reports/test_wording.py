"""The wording file covers every instrument and catalog category, and refuses unknown keys."""

from __future__ import annotations

import pytest

from hipback import measures
from hipback.errors import ConfigurationError
from hipback.protocol.catalog import Category
from hipback.reports.wording import load_wording, parse_wording


def test_every_instrument_and_category_has_words() -> None:
    wording = load_wording()
    assert set(measures.ids()) <= set(wording.domains)
    assert {c.value for c in Category} <= set(wording.purposes)
    assert wording.handout_safety


def test_unknown_key_is_refused_with_its_name() -> None:
    text = 'schema_version = 1\nversion = "x"\nhandout_safety = []\ncolour = "red"\n'
    text += "[domains]\n[purposes]\n"
    with pytest.raises(ConfigurationError, match="colour"):
        parse_wording(text)


def test_bad_toml_names_the_file() -> None:
    with pytest.raises(ConfigurationError, match=r"wording\.toml: not valid TOML"):
        parse_wording("schema_version = ")
