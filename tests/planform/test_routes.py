"""The plan form through real HTTP: who may use it, adding and removing, validation, saving,
editing a plan sent by a provider's system, and a conflicting save."""

from __future__ import annotations

import re

from ehoks.auth.sessions import COOKIE_NAME
from ehoks.kit.db.engine import transaction
from ehoks.registry.service import import_files
from tests.people.conftest import A_SCHOOL, EETU, MAIJA, MATTI, PROVIDER_B
from tests.planform.browserless import form_values
from tests.planform.conftest import EETU_STUDY_RIGHT
from tests.registry.test_qualification_units import PERUSTE
from tests.registry.test_qualification_units import UNITS as PERUSTE_UNITS

MATTI_STUDY_RIGHT = "1.2.246.562.15.76811932045"

UI = "/ehoks-virkailija-ui"
UNITS = "hankittavat-ammat-tutkinnon-osat"
# The staff layout's navigation, with the way back to the students list and the sign-out.
NAV = '<nav class="staff-nav" aria-label="Virkailijan palvelu">'
STUDENTS_LINK = f'<a href="{UI}/opiskelijat">'
SIGN_OUT = '<form class="sign-out" method="post" action="/auth/logout">'


def _page(person, path):
    return person.http.get(path, headers={"Cookie": f"{COOKIE_NAME}={person.token}"})


def _post(person, path, values, action):
    cookie = {"Cookie": f"{COOKIE_NAME}={person.token}"}
    return person.http.post(path, data={**values, "action": action}, headers=cookie)


def test_a_reader_gets_no_form_and_the_routes_refuse(hoks, staff):
    reader = staff((A_SCHOOL, "read"))
    assert _page(reader, f"{UI}/opiskelijat/{EETU}/uusi-hoks").status_code == 403
    edit = f"{UI}/opiskelijat/{MAIJA}/hoks/{hoks['maija']}/muokkaa"
    assert _page(reader, edit).status_code == 403
    posted = _post(reader, edit, {"csrf_token": reader.csrf, "revision": "1"}, "save")
    assert posted.status_code == 403
    assert "text/html" in posted.headers["content-type"]
    # Another provider's member does not learn the plan exists.
    assert _page(staff((PROVIDER_B, "write")), edit).status_code == 404


def test_a_post_without_the_sessions_csrf_token_is_refused(hoks, staff):
    writer = staff((A_SCHOOL, "write"))
    edit = f"{UI}/opiskelijat/{MAIJA}/hoks/{hoks['maija']}/muokkaa"
    assert _post(writer, edit, {"revision": "1"}, "save").status_code == 403


def test_a_study_right_named_in_the_address_is_chosen_already(registry, staff):
    writer = staff((A_SCHOOL, "write"))
    path = f"{UI}/opiskelijat/{EETU}/uusi-hoks"
    assert form_values(_page(writer, path).text)["opiskeluoikeus-oid"] == ""
    chosen = _page(writer, f"{path}?opiskeluoikeus={EETU_STUDY_RIGHT}")
    assert chosen.status_code == 200, chosen.text
    assert form_values(chosen.text)["opiskeluoikeus-oid"] == EETU_STUDY_RIGHT
    # Not one of the student's study rights: nothing is chosen.
    other = _page(writer, f"{path}?opiskeluoikeus=1.2.246.562.15.00000000001")
    assert form_values(other.text)["opiskeluoikeus-oid"] == ""


def test_create_add_validate_and_save(registry, staff):
    writer = staff((A_SCHOOL, "write"))
    path = f"{UI}/opiskelijat/{EETU}/uusi-hoks"
    opened = _page(writer, path)
    assert opened.status_code == 200, opened.text
    assert EETU_STUDY_RIGHT in opened.text
    # A way out without saving: back to the student.
    assert f'<a href="{UI}/opiskelijat/{EETU}">' in opened.text
    assert NAV in opened.text
    assert STUDENTS_LINK in opened.text
    assert SIGN_OUT in opened.text
    values = form_values(opened.text)
    values.update({"opiskeluoikeus-oid": EETU_STUDY_RIGHT, "sahkoposti": "eetu@example.com"})
    added = _post(writer, path, values, f"add:{UNITS}")
    assert added.status_code == 200
    values = form_values(added.text)
    assert values["sahkoposti"] == "eetu@example.com"
    assert values[f"{UNITS}#n"] == "1"
    values[f"{UNITS}.0.tutkinnon-osa-koodi-uri"] = "tutkinnonosat_100031"

    refused = _post(writer, path, values, "save")
    assert refused.status_code == 400
    assert 'class="error-summary"' in refused.text
    assert f'href="#f-{UNITS}.0.tutkinnon-osa-koodi-versio"' in refused.text
    assert 'href="#f-ensikertainen-hyvaksyminen"' in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert NAV in added.text
    assert NAV in refused.text

    values = form_values(refused.text)
    values.update(
        {
            f"{UNITS}.0.tutkinnon-osa-koodi-versio": "1",
            "ensikertainen-hyvaksyminen": "15.1.2026",
            "osaamisen-hankkimisen-tarve": "true",
        }
    )
    saved = _post(writer, path, values, "save")
    assert saved.status_code == 303, saved.text
    target = saved.headers["location"]
    assert re.fullmatch(rf"{UI}/opiskelijat/{EETU}/hoks/\d+/muokkaa\?tallennettu=1&lang=fi", target)
    shown = _page(writer, target)
    assert shown.status_code == 200
    assert f'<a href="{target.split("/muokkaa")[0]}">' in shown.text  # back to the plan
    assert NAV in shown.text
    stored = form_values(shown.text)
    assert stored["ensikertainen-hyvaksyminen"] == "15.1.2026"
    assert stored[f"{UNITS}.0.tutkinnon-osa-koodi-uri"] == "tutkinnonosat_100031"
    assert stored[f"{UNITS}.0.module-id"]
    hoks_id = int(target.split("/")[5])
    read = writer.get(f"/oppijat/{EETU}/hoksit/{hoks_id}").json()["data"]
    assert read["manuaalisyotto"] is True
    assert read["sahkoposti"] == "eetu@example.com"


def test_a_provider_systems_plan_is_edited_and_a_conflict_is_shown_and_reapplied(
    provider_plan, staff
):
    first, second = staff((A_SCHOOL, "write")), staff((A_SCHOOL, "write"))
    edit = f"{UI}/opiskelijat/{EETU}/hoks/{provider_plan}/muokkaa"
    mine = form_values(_page(first, edit).text)
    theirs = form_values(_page(second, edit).text)
    assert mine["revision"] == theirs["revision"]
    assert mine == {**theirs, "csrf_token": mine["csrf_token"]}

    theirs["sahkoposti"] = "toinen@example.com"
    assert _post(second, edit, theirs, "save").status_code == 303

    mine["puhelinnumero"] = "040 123 4567"
    conflict = _post(first, edit, mine, "save")
    assert conflict.status_code == 409
    assert "toinen@example.com" in conflict.text
    assert "040 123 4567" in conflict.text
    assert NAV in conflict.text
    again = form_values(conflict.text, form_id=None)
    reapplied = _post(first, edit, again, "reapply")
    assert reapplied.status_code == 200
    assert NAV in reapplied.text
    merged = form_values(reapplied.text)
    assert merged["sahkoposti"] == "toinen@example.com"
    assert merged["puhelinnumero"] == "040 123 4567"
    assert int(merged["revision"]) == int(mine["revision"]) + 1
    assert _post(first, edit, merged, "save").status_code == 303

    read = first.get(f"/oppijat/{EETU}/hoksit/{provider_plan}").json()["data"]
    assert (read["sahkoposti"], read["puhelinnumero"]) == ("toinen@example.com", "040 123 4567")
    assert read["manuaalisyotto"] is False


def _unit_options(html: str) -> set[str]:
    """The values offered by the first unit's code select."""
    field = rf'<select[^>]*id="f-{UNITS}\.0\.tutkinnon-osa-koodi-uri"[^>]*>(.*?)</select>'
    select = re.search(field, html, re.DOTALL)
    assert select is not None
    return set(re.findall(r'<option value="([^"]+)"', select.group(1)))


def test_the_units_offered_are_those_of_the_plans_qualification(registry, staff, session_factory):
    with transaction(session_factory) as session:
        import_files(session, [PERUSTE])
    writer = staff((A_SCHOOL, "write"))
    path = f"{UI}/opiskelijat/{MATTI}/uusi-hoks"
    values = {**form_values(_page(writer, path).text), "opiskeluoikeus-oid": ""}
    # Before a study right is chosen, every imported unit.
    everything = _unit_options(_post(writer, path, values, f"add:{UNITS}").text)
    assert {"tutkinnonosat_100031", "tutkinnonosat_400012"} <= everything
    assert "tutkinnonosat_106727" in everything  # named by the peruste's import

    values["opiskeluoikeus-oid"] = MATTI_STUDY_RIGHT  # OPH-2531-2018, whose peruste is known
    added = _post(writer, path, values, f"add:{UNITS}")
    assert _unit_options(added.text) == PERUSTE_UNITS
    assert "Tieto- ja viestintätekniikka-alan perustehtävissä toimiminen" in added.text

    # A study right whose peruste is not known offers every unit.
    eetu = f"{UI}/opiskelijat/{EETU}/uusi-hoks"
    values = {**form_values(_page(writer, eetu).text), "opiskeluoikeus-oid": EETU_STUDY_RIGHT}
    assert _unit_options(_post(writer, eetu, values, f"add:{UNITS}").text) == everything


def test_the_edit_form_offers_the_students_study_rights_by_name(provider_plan, staff):
    """The study right is chosen by its qualification's name, not typed as an OID."""
    writer = staff((A_SCHOOL, "write"))
    edit = f"{UI}/opiskelijat/{EETU}/hoks/{provider_plan}/muokkaa"
    opened = _page(writer, edit)
    assert opened.status_code == 200, opened.text
    field = re.search(
        r'<select[^>]*name="opiskeluoikeus-oid"[^>]*>(.*?)</select>', opened.text, re.DOTALL
    )
    assert field is not None  # a choice, not a text input
    chosen = re.search(r'<option value="([^"]+)" selected>([^<]+)<', field.group(1))
    assert chosen is not None
    assert chosen.group(1) == EETU_STUDY_RIGHT
    assert chosen.group(2) != EETU_STUDY_RIGHT  # named, the OID in brackets after the name
    assert chosen.group(2).endswith(f"({EETU_STUDY_RIGHT})")
    # Adding a part shows the form again with the same choice.
    values = form_values(opened.text)
    again = _post(writer, edit, values, f"add:{UNITS}")
    assert 'name="opiskeluoikeus-oid"' in again.text
    assert re.search(r'<select[^>]*name="opiskeluoikeus-oid"', again.text)
