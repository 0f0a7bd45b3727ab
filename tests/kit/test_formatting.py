"""Dates, numbers and registry names written as each language writes them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ehoks.kit.formatting import (
    format_date,
    format_datetime,
    format_number,
    format_percent,
    localised,
)
from ehoks.kit.i18n import Lang


@pytest.mark.parametrize(
    ("lang", "expected"),
    [(Lang.FI, "2.12.2026"), (Lang.SV, "2.12.2026"), (Lang.EN, "2 December 2026")],
)
def test_dates(lang, expected):
    assert format_date(date(2026, 12, 2), lang) == expected
    assert format_date("2026-12-02", lang) == expected
    assert format_date(datetime(2026, 12, 2, 8, tzinfo=UTC), lang) == expected


def test_what_is_not_a_date_shows_as_it_is():
    assert format_date("soon", Lang.FI) == "soon"
    assert format_date(None, Lang.EN) == ""


def test_moments_are_in_finnish_time():
    moment = datetime(2026, 12, 2, 22, 30, tzinfo=UTC)  # 00.30 on 3 December in Helsinki
    assert format_datetime(moment, Lang.FI) == "3.12.2026 klo 0.30"
    assert format_datetime(moment, Lang.SV) == "3.12.2026 kl. 0.30"
    assert format_datetime(moment, Lang.EN) == "3 December 2026 at 00:30"


def test_numbers_and_shares():
    assert format_number(Decimal("1234.5"), Lang.FI) == "1\N{NO-BREAK SPACE}234,5"
    assert format_number(1234.5, Lang.SV) == "1\N{NO-BREAK SPACE}234,5"
    assert format_number(1234.5, Lang.EN) == "1,234.5"
    assert format_percent(50, Lang.FI) == "50\N{NO-BREAK SPACE}%"
    assert format_percent(50, Lang.EN) == "50%"


def test_registry_names_fall_back_to_finnish_then_any_then_the_code():
    names = {"fi": "Ajoneuvoalan perustutkinto", "sv": "Grundexamen inom fordonsbranschen"}
    assert localised(names, Lang.SV) == "Grundexamen inom fordonsbranschen"
    assert localised(names, Lang.EN) == "Ajoneuvoalan perustutkinto"
    assert localised({"sv": "Bara svenska"}, Lang.FI) == "Bara svenska"
    assert localised(None, Lang.FI, "koulutus_351301") == "koulutus_351301"
    assert localised({"fi": "  "}, Lang.FI, "x") == "x"
