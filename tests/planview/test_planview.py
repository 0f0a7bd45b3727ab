"""The plan as labelled sections: every model field labelled in three languages, codes by name,
dates per language, each unit's progress and what is coming, and the macros that show it."""

from __future__ import annotations

import copy
import importlib
import json
from datetime import date
from pathlib import Path

import pytest

from ehoks.hoksmodel.spec import RECORDS
from ehoks.kit.i18n import Lang
from ehoks.kit.pages.render import environment
from ehoks.kit.translations import catalogue_for
from ehoks.planview.labels import RECORD_LABELS, english_label, field_label
from ehoks.planview.plan import StudyRightFacts, plan_view
from ehoks.planview.progress import Status, unit_status

FULL = json.loads(
    (Path(__file__).resolve().parents[2] / "src/ehoks/demo/data/hoks_example_full.json").read_text()
)
NAMES = {
    "tutkinnonosat_102499": {"fi": "Ohjelmointi", "sv": "Programmering", "en": "Programming"},
    "osaamisenhankkimistapa_oppisopimus": {"fi": "Oppisopimus", "sv": "Läroavtal"},
    "ammatillisenoppiaineet_fy": {"fi": "Fysiikka", "sv": "Fysik", "en": "Physics"},
}


def _all_text(view) -> str:
    parts: list[str] = []

    def entry(e) -> None:
        parts.extend([e.kind, e.title, e.dates])
        for row in e.rows:
            parts.append(row.label)
            parts.extend([row.value] if isinstance(row.value, str) else row.value)
        for g in e.groups:
            parts.append(g.label)
            for child in g.entries:
                entry(child)

    for section in view.sections:
        parts.append(section.title)
        for row in section.rows:
            parts.extend([row.label, str(row.value)])
        for group in section.groups:
            for e in group.entries:
                entry(e)
    return "\n".join(parts)


def test_every_field_and_record_of_the_model_has_a_label():
    missing = [
        f"{record.name}.{f.key}"
        for record in RECORDS.values()
        for f in record.fields
        if english_label(record.name, f.key) is None
    ]
    assert missing == []
    assert set(RECORDS) <= set(RECORD_LABELS)


@pytest.mark.parametrize("lang", [Lang.FI, Lang.SV], ids=str)
def test_every_label_is_translated(lang):
    catalogue = catalogue_for(lang)
    same_in_both = {"Version", "Organisation"}  # Swedish writes these as English does
    untranslated = [
        f"{record.name}.{f.key}"
        for record in RECORDS.values()
        for f in record.fields
        if (english := english_label(record.name, f.key) or "") not in same_in_both
        and catalogue.gettext(english) == english
    ]
    assert untranslated == []
    assert field_label("OsaamisenHankkimistapa", "keskeiset-tyotehtavat", Lang.EN) == (
        "Key work tasks"
    )


def test_codes_by_name_in_the_page_language_with_fallbacks():
    sv = _all_text(plan_view(FULL, NAMES, Lang.SV, date(2019, 1, 1)))
    assert "Programmering" in sv
    assert "Läroavtal" in sv
    en = _all_text(plan_view(FULL, NAMES, Lang.EN, date(2019, 1, 1)))
    assert "Programming" in en
    assert "Oppisopimus" in en  # no English name: the Finnish one
    assert "tutkinnonosat_121123" in en  # no name at all: the code itself
    # A demonstration's sub-areas are KoodistoKoodi records: named like every other code.
    assert "Fysik" in sv
    assert "ammatillisenoppiaineet_fy" not in sv


@pytest.mark.parametrize(
    ("lang", "unknown"),
    [
        (Lang.FI, "Tuntematon organisaatio (1.2.246.562.10.54453923572)"),
        (Lang.SV, "Okänd organisation (1.2.246.562.10.54453923572)"),
        (Lang.EN, "Unknown organisation (1.2.246.562.10.54453923572)"),
    ],
)
def test_an_organisation_the_registry_does_not_know_is_named_so_never_a_bare_oid(lang, unknown):
    known = {**NAMES, "1.2.246.562.10.13490590901": {"fi": "Esimerkkiopisto", "en": "Example"}}
    facts = StudyRightFacts(institution_oid="1.2.246.562.10.99999999990")
    view = plan_view(FULL, known, lang, date(2019, 1, 1), facts)
    lines = _all_text(view).splitlines()
    assert unknown in lines or any(unknown in line for line in lines)
    assert "1.2.246.562.10.54453923572" not in lines  # never the OID alone
    assert ("Example" if lang is Lang.EN else "Esimerkkiopisto") in lines
    assert view.institution.endswith("(1.2.246.562.10.99999999990)")
    assert not view.institution.startswith("1.2.246")


def test_dates_per_language():
    fi = plan_view(FULL, NAMES, Lang.FI, date(2019, 1, 1))
    en = plan_view(FULL, NAMES, Lang.EN, date(2019, 1, 1))
    assert ("Ensimmäinen hyväksyntä", "18.3.2019") in [
        (r.label, r.value) for r in fi.section("goals").rows
    ]
    assert ("First approved", "18 March 2019") in [
        (r.label, r.value) for r in en.section("goals").rows
    ]


def test_the_sections_hold_every_part_of_the_document():
    view = plan_view(
        FULL,
        NAMES,
        Lang.EN,
        date(2019, 3, 1),
        StudyRightFacts(qualification={"fi": "Tieto- ja viestintätekniikan perustutkinto"}),
    )
    assert view.title == "Tieto- ja viestintätekniikan perustutkinto"
    assert [s.id for s in view.sections] == ["goals", "prior", "study", "support", "coming"]
    text = _all_text(view)
    for key in ("hankittavat-ammat-tutkinnon-osat", "aiemmin-hankitut-ammat-tutkinnon-osat"):
        for unit in FULL[key]:
            for demonstration in unit.get("osaamisen-osoittaminen", []) + unit.get(
                "tarkentavat-tiedot-naytto", []
            ):
                assert demonstration["nayttoymparisto"]["nimi"] in text
            for period in unit.get("osaamisen-hankkimistavat", []):
                workplace = period["tyopaikalla-jarjestettava-koulutus"]
                assert workplace["tyopaikan-nimi"] in text
                assert all(task in text for task in workplace["keskeiset-tyotehtavat"])
    assert "Part-time share" in text
    assert "50%" in text
    assert "Interruptions" in text
    assert "from 29 September 2021" in text
    # Technical fields stay out.
    assert "Code version" not in text
    assert "Period identifier" not in text


def test_progress_in_words_and_numbers():
    unit = {"tutkinnon-osa-koodi-uri": "tutkinnonosat_1"}
    assert unit_status(unit, date(2024, 1, 1)) is Status.PLANNED
    period = {"alku": "2024-01-10", "loppu": "2024-02-10"}
    scheduled = {**unit, "osaamisen-hankkimistavat": [period]}
    assert unit_status(scheduled, date(2024, 1, 1)) is Status.SCHEDULED
    shown = {**scheduled, "osaamisen-osoittaminen": [{"alku": "2024-02-01", "loppu": "2024-02-05"}]}
    assert unit_status(shown, date(2024, 2, 19)) is Status.SCHEDULED  # 14 days not yet past
    assert unit_status(shown, date(2024, 2, 20)) is Status.COMPLETED
    area = {"osa-alue-koodi-uri": "ammatillisenoppiaineet_ma", "osaamisen-hankkimistavat": [period]}
    common = {**unit, "osa-alueet": [area]}
    assert unit_status(common, date(2024, 1, 1)) is Status.SCHEDULED

    view = plan_view(FULL, NAMES, Lang.FI, date(2019, 3, 20))
    assert view.progress.counts == {"planned": 0, "scheduled": 2, "completed": 1}
    assert view.progress.summary == "1/3 tutkinnon osasta valmiina, 2 aikataulutettu, 0 suunniteltu"
    first = view.section("study").groups[0].entries[0]
    assert first.status == ("scheduled", "Aikataulutettu")
    later = plan_view(FULL, NAMES, Lang.EN, date(2030, 1, 1))
    assert later.progress.summary == "3 of 3 units completed, 0 scheduled, 0 planned"


def test_coming_in_the_next_30_days():
    document = copy.deepcopy(FULL)
    unit = document["hankittavat-ammat-tutkinnon-osat"][0]
    unit["osaamisen-hankkimistavat"][0]["alku"] = "2026-12-20"
    unit["osaamisen-osoittaminen"][0]["alku"] = "2027-01-06"  # 31 days ahead: not yet
    view = plan_view(document, NAMES, Lang.EN, date(2026, 12, 6))
    assert [(c.kind, c.unit, c.title) for c in view.coming] == [
        ("Learning period", "Programming", "Oppisopimus: Ohjausyhtiö Oy")
    ]
    assert view.coming[0].anchor.startswith("part-")
    assert view.section("coming").empty == ""


def test_the_macros_show_a_plan():
    view = plan_view(FULL, NAMES, Lang.SV, date(2019, 3, 1))
    template = environment().from_string(
        '{% from "macros/plan.html" import plan_section %}'
        "{% for s in view.sections %}{{ plan_section(s) }}{% endfor %}"
    )
    render_module = importlib.import_module("ehoks.kit.pages.render")
    token = render_module._rendering.set(Lang.SV)
    try:
        html = template.render(view=view)
    finally:
        render_module._rendering.reset(token)
    assert '<h2 id="study-title">Studieplan</h2>' in html
    assert "Programmering" in html
    assert "Framsteg:" in html
    assert html.count("<h2") == len(view.sections)
