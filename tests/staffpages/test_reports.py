"""The reports: plans without a valid study right, workplace periods, data quality; as tables and
as CSV files read back the way a spreadsheet reads them."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select, update

from ehoks.hoks.models import Hoks
from ehoks.instructor.models import WorkplacePeriod
from ehoks.registry.models import StudyRight
from ehoks.reports import quality
from tests.people.conftest import (
    A_SCHOOL,
    A_SCHOOL_2,
    B_SCHOOL,
    MATTI,
    PROVIDER_A,
    PROVIDER_B,
    store_hoks,
)
from tests.staffpages.conftest import UI, page, text_of

REPORTS = f"{UI}/raportit"
MATTI_THIRD_STUDY_RIGHT = "1.2.246.562.15.76811932045"  # at A's first school, no plan yet
MAIJA_STUDY_RIGHT = "1.2.246.562.15.10000000009"
MATTI_TUVA_STUDY_RIGHT = "1.2.246.562.15.76811942028"
WORKPLACE = "osaamisenhankkimistapa_koulutussopimus"


def _period(start: date, end: date, **fields) -> dict:
    workplace = {
        "tyopaikan-nimi": fields.pop("workplace", "Sähkö-Äijät Oy"),
        "keskeiset-tyotehtavat": ["Asennus"],
        "vastuullinen-tyopaikka-ohjaaja": {"nimi": "Örjan Öhman"},
    }
    if "y" in fields:
        workplace["tyopaikan-y-tunnus"] = fields.pop("y")
    if "email" in fields:
        workplace["vastuullinen-tyopaikka-ohjaaja"]["sahkoposti"] = fields.pop("email")
    period = {
        "alku": str(start),
        "loppu": str(end),
        "osaamisen-hankkimistapa-koodi-uri": WORKPLACE,
        "osaamisen-hankkimistapa-koodi-versio": 1,
        "tyopaikalla-jarjestettava-koulutus": workplace,
    }
    if "share" in fields:
        period["osa-aikaisuustieto"] = fields.pop("share")
    if "identifier" in fields:
        period["yksiloiva-tunniste"] = fields.pop("identifier")
    return period


@pytest.fixture
def periods(hoks, session_factory) -> dict[str, object]:
    """Matti's third plan with two workplace periods: one to fix, ending soon, one in order.

    The validator refuses new periods without what the rules check, so the period to fix is
    stored complete and then made to look like one stored before those checks existed.
    """
    today = datetime.now(ZoneInfo("Europe/Helsinki")).date()
    details = {"y": "1234567-1", "share": 100, "email": "a@b.example", "identifier": "j-1"}
    lacking = _period(today - timedelta(days=50), today + timedelta(days=10), **details)
    complete = _period(
        today - timedelta(days=20),
        today + timedelta(days=5),
        workplace="Kunnossa Oy",
        y="1234567-1",
        email="ohjaaja@kunnossa.example",
        share=80,
        identifier="jakso-2",
    )
    document = {
        "oppija-oid": MATTI,
        "opiskeluoikeus-oid": MATTI_THIRD_STUDY_RIGHT,
        "ensikertainen-hyvaksyminen": "2024-08-20",
        "osaamisen-hankkimisen-tarve": True,
        "hankittavat-ammat-tutkinnon-osat": [
            {
                "tutkinnon-osa-koodi-uri": "tutkinnonosat_101053",
                "tutkinnon-osa-koodi-versio": 1,
                "osaamisen-hankkimistavat": [lacking, complete],
            }
        ],
    }
    hoks_id = store_hoks(session_factory, document)
    with session_factory() as session:
        row = session.scalars(
            select(WorkplacePeriod).where(WorkplacePeriod.workplace_name == "Sähkö-Äijät Oy")
        ).one()
        summary = dict(row.summary)
        summary.pop("osa-aikaisuustieto")
        summary["tyopaikalla-jarjestettava-koulutus"] = {
            k: v
            for k, v in summary["tyopaikalla-jarjestettava-koulutus"].items()
            if k != "tyopaikan-y-tunnus"
        }
        row.summary = summary
        row.instructor_email = None
        row.yksiloiva_tunniste = None
        session.commit()
    return {"id": hoks_id, "today": today}


def test_plans_without_a_valid_study_right(hoks, staff, session_factory):
    with session_factory() as session:
        session.execute(
            update(StudyRight)
            .where(StudyRight.oid == MAIJA_STUDY_RIGHT)
            .values(paattymispaiva=date(2024, 5, 31), latest_tila="valmistunut")
        )
        session.execute(delete(StudyRight).where(StudyRight.oid == MATTI_TUVA_STUDY_RIGHT))
        session.commit()
    reader = staff((A_SCHOOL, "read"))
    response = page(reader, f"{REPORTS}/opiskeluoikeudet", params={"lang": "en"})
    assert response.status_code == 200, response.text
    words = text_of(response)
    assert "2 plans" in words
    assert "Virtanen, Maija Liisa" in words
    assert "Not in the registry" in words
    assert f"/hoks/{hoks['matti_tuva']}" in response.text
    assert f'/hoks/{hoks["matti"]}"' not in response.text
    # A page past the end says so, not that every plan is fine.
    beyond = text_of(
        page(reader, f"{REPORTS}/opiskeluoikeudet", params={"lang": "en", "sivu": "5"})
    )
    assert "This page is past the end of the report." in beyond
    assert "Every plan of the organisation has a valid study right." not in beyond

    download = page(reader, f"{REPORTS}/opiskeluoikeudet", params={"muoto": "csv", "lang": "fi"})
    assert download.status_code == 200
    assert download.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in download.headers["content-disposition"]
    assert download.content.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheets look for
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Suunnitelman tunniste", "Opiskelija"]
    students = {row[1] for row in rows[1:]}
    assert students == {"Virtanen, Maija Liisa", "Meikäläinen, Matti Juhani"}

    # Provider B's member sees none of A's plans, in the table or in the file.
    other = staff((PROVIDER_B, "admin"))
    assert "0 plans" in text_of(page(other, f"{REPORTS}/opiskeluoikeudet", params={"lang": "en"}))
    theirs = page(other, f"{REPORTS}/opiskeluoikeudet", params={"muoto": "csv"})
    assert len(list(csv.reader(io.StringIO(theirs.content.decode("utf-8-sig"))))) == 1


def test_workplace_periods_in_a_range(periods, staff):
    today = periods["today"]
    parent = staff((PROVIDER_A, "read"))
    params = {"alku": str(today - timedelta(days=7)), "loppu": str(today), "lang": "en"}
    response = page(parent, f"{REPORTS}/tyopaikkajaksot", params=params)
    assert response.status_code == 200, response.text
    words = text_of(response)
    assert "2 workplace periods" in words
    assert "Sähkö-Äijät Oy" in words
    assert "Kunnossa Oy" in words
    assert "80%" in words
    # The fields hold the range as the hint writes dates (31.12.2026), not a browser's own
    # date field, which shows the date in the format of the browser's language.
    shown = page(parent, f"{REPORTS}/tyopaikkajaksot", params={"lang": "fi"}).text
    month_start = today.replace(day=1)
    assert f'value="{month_start.day}.{month_start.month}.{month_start.year}"' in shown
    assert 'type="date"' not in shown
    beyond = text_of(page(parent, f"{REPORTS}/tyopaikkajaksot", params={**params, "sivu": "5"}))
    assert "This page is past the end of the report." in beyond
    assert "No workplace periods in this range." not in beyond

    download = page(parent, f"{REPORTS}/tyopaikkajaksot", params={**params, "muoto": "csv"})
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][3:5] == ["Workplace", "Y-tunnus"]
    by_workplace = {row[3]: row for row in rows[1:]}
    assert by_workplace["Kunnossa Oy"][4:11] == [
        "1234567-1",
        "Örjan Öhman",
        "ohjaaja@kunnossa.example",
        str(today - timedelta(days=20)),
        str(today + timedelta(days=5)),
        "80",
        "jakso-2",
    ]
    # Another school of the same provider and another provider: nothing of Matti's.
    for member in (staff((A_SCHOOL_2, "admin")), staff((B_SCHOOL, "admin"))):
        assert "Meikäläinen" not in page(member, f"{REPORTS}/tyopaikkajaksot", params=params).text
    # Dates typed the Finnish way work; nonsense gets the error beside the field.
    finnish = {"alku": today.strftime("%d.%m.%Y"), "loppu": today.strftime("%d.%m.%Y")}
    assert page(parent, f"{REPORTS}/tyopaikkajaksot", params=finnish).status_code == 200
    bad = page(parent, f"{REPORTS}/tyopaikkajaksot", params={"alku": "eilen", "lang": "en"})
    assert bad.status_code == 400
    assert 'href="#alku"' in bad.text
    # A start in the last month a date can name: its month's end cannot be counted (was a 500).
    for edge in ("31.12.9999", "9999-12-01"):
        past = page(parent, f"{REPORTS}/tyopaikkajaksot", params={"alku": edge, "lang": "en"})
        assert past.status_code == 400, edge
    backwards = {"alku": str(today), "loppu": str(today - timedelta(days=1)), "lang": "en"}
    assert "cannot be before" in page(parent, f"{REPORTS}/tyopaikkajaksot", params=backwards).text


def test_data_quality_lists_what_feedback_and_funding_lack(periods, staff):
    parent = staff((PROVIDER_A, "read"))
    response = page(parent, f"{REPORTS}/tietojen-laatu", params={"lang": "en"})
    assert response.status_code == 200, response.text
    words = text_of(response)
    assert "1 period to fix" in words
    assert "Sähkö-Äijät Oy" in words
    assert "Kunnossa Oy" not in words
    for code in (
        "instructor_email_missing",
        "y_tunnus_missing",
        "part_time_missing",
        "period_identifier_missing",
    ):
        assert f"({code})" in words
    # Looking only 5 days ahead leaves out the period ending in 10.
    assert "0 periods to fix" in text_of(
        page(parent, f"{REPORTS}/tietojen-laatu", params={"paivia": "5", "lang": "en"})
    )
    download = page(parent, f"{REPORTS}/tietojen-laatu", params={"muoto": "csv", "lang": "sv"})
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2
    assert rows[1][1] == "Meikäläinen, Matti Juhani"
    assert rows[1][-1].split() == [
        "instructor_email_missing",
        "y_tunnus_missing",
        "part_time_missing",
        "period_identifier_missing",
    ]
    assert "0 periods to fix" in text_of(
        page(staff((B_SCHOOL, "admin")), f"{REPORTS}/tietojen-laatu", params={"lang": "en"})
    )


def test_the_rules_have_stable_codes_and_check_the_business_id():
    assert [rule.code for rule in quality.RULES] == [
        "instructor_email_missing",
        "y_tunnus_missing",
        "y_tunnus_invalid",
        "part_time_missing",
        "period_identifier_missing",
    ]
    assert quality.valid_y_tunnus("1234567-1")
    assert quality.valid_y_tunnus("2911043-0")  # provider A's
    assert not quality.valid_y_tunnus("1234567-2")
    assert not quality.valid_y_tunnus("123456-1")


def test_a_csv_cell_that_looks_like_a_formula_stays_text():
    from ehoks.reports.csvfile import render

    body = render(["a"], [["=HYPERLINK(1)"], ["-5"], [date(2026, 12, 6)]]).decode("utf-8-sig")
    assert body.split("\r\n")[1:4] == ["'=HYPERLINK(1)", "-5", "2026-12-06"]


def test_plans_with_data_to_fix(hoks, staff, session_factory):
    """Matti's plan without a date of first approval (stored before the validator asked for it),
    Maija's still open after her study right ended; Ville's at B is no business of A."""
    with session_factory() as session:
        session.execute(
            update(StudyRight)
            .where(StudyRight.oid == MAIJA_STUDY_RIGHT)
            .values(paattymispaiva=date(2024, 5, 31), latest_tila="valmistunut")
        )
        session.execute(
            update(Hoks)
            .where(Hoks.id.in_([hoks["matti"], hoks["ville"]]))
            .values(ensikertainen_hyvaksyminen=None)
        )
        session.commit()
    reader = staff((PROVIDER_A, "read"))
    response = page(reader, f"{REPORTS}/suunnitelmien-laatu", params={"lang": "en"})
    assert response.status_code == 200, response.text
    words = text_of(response)
    assert "2 plans to fix" in words
    assert "(approval_date_missing)" in words
    assert "(study_right_ended_plan_open)" in words
    assert f'/hoks/{hoks["matti"]}"' in response.text
    assert f'/hoks/{hoks["maija"]}"' in response.text
    assert f'/hoks/{hoks["ville"]}"' not in response.text
    assert "31 May 2024" in words  # when Maija's study right ended

    download = page(reader, f"{REPORTS}/suunnitelmien-laatu", params={"muoto": "csv", "lang": "fi"})
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[-1] for row in rows[1:]] == ["approval_date_missing", "study_right_ended_plan_open"]
    assert rows[2][1] == "Virtanen, Maija Liisa"
    assert rows[2][4] == "2024-05-31"

    # Provider B's member sees Ville's plan and nothing of A's.
    other = page(
        staff((PROVIDER_B, "read")), f"{REPORTS}/suunnitelmien-laatu", params={"lang": "en"}
    )
    assert "1 plan to fix" in text_of(other)
    assert f'/hoks/{hoks["ville"]}"' in other.text
    # Once fixed, the plan leaves the report.
    with session_factory() as session:
        session.execute(
            update(Hoks)
            .where(Hoks.id == hoks["maija"])
            .values(osaamisen_saavuttamisen_pvm=date(2024, 5, 30))
        )
        session.commit()
    fixed = page(reader, f"{REPORTS}/suunnitelmien-laatu", params={"lang": "en"})
    assert "1 plan to fix" in text_of(fixed)
    assert f'/hoks/{hoks["maija"]}"' not in fixed.text
