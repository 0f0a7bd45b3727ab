"""A plan's versions, what changed between any two in words, and who has read it."""

from __future__ import annotations

from sqlalchemy import select

from ehoks.audit.models import AuditEvent
from tests.people.conftest import A_SCHOOL, B_SCHOOL, MAIJA, MATTI
from tests.staffpages.conftest import UI, page, text_of


def plan_path(oppija_oid: str, hoks_id: int) -> str:
    return f"{UI}/opiskelijat/{oppija_oid}/hoks/{hoks_id}"


def _change(writer, hoks_id: int, email: str) -> None:
    response = writer.send(
        "PATCH", f"/oppijat/{MAIJA}/hoksit/{hoks_id}", {"id": hoks_id, "sahkoposti": email}
    )
    assert response.status_code == 204, response.text


def test_versions_and_what_changed_between_any_two(hoks, staff):
    writer = staff((A_SCHOOL, "write"))
    _change(writer, hoks["maija"], "maija.uusi@esimerkki.fi")
    _change(writer, hoks["maija"], "maija.uusin@esimerkki.fi")
    reader = staff((A_SCHOOL, "read"))
    path = plan_path(MAIJA, hoks["maija"])
    assert f"{path}/historia" in page(reader, path).text
    versions = page(reader, f"{path}/historia", params={"lang": "en"})
    assert versions.status_code == 200, versions.text
    words = text_of(versions)
    for number in (1, 2, 3):
        assert f"Version {number}" in words
    changed = page(
        reader, f"{path}/historia/muutokset", params={"vanha": 1, "uusi": 3, "lang": "en"}
    )
    assert changed.status_code == 200, changed.text
    words = text_of(changed)
    assert "Changes from version 1 to version 3" in words
    assert "maija.uusin@esimerkki.fi" in words
    assert "/sahkoposti" not in words  # labels, not JSON paths
    missing = page(reader, f"{path}/historia/muutokset", params={"vanha": 1, "uusi": 9})
    assert missing.status_code == 404


def test_who_has_read_the_plan_names_organisations_not_staff(hoks, staff):
    reader = staff((A_SCHOOL, "read"))
    path = plan_path(MAIJA, hoks["maija"])
    page(reader, path)
    seen = page(reader, f"{path}/tapahtumat", params={"lang": "en"})
    assert seen.status_code == 200, seen.text
    words = text_of(seen)
    assert "Read the plan" in words
    assert "Hämeenkylä" in words
    assert reader.staff_oid not in seen.text


def test_history_is_not_found_for_another_provider_or_another_student(hoks, staff):
    other = staff((B_SCHOOL, "admin"))
    path = plan_path(MAIJA, hoks["maija"])
    for tail in ("/historia", "/tapahtumat", "/historia/muutokset?vanha=1&uusi=1"):
        assert page(other, path + tail).status_code == 404
    reader = staff((A_SCHOOL, "read"))
    assert page(reader, plan_path(MATTI, hoks["maija"]) + "/historia").status_code == 404


def test_each_version_can_be_read_as_it_was_and_the_read_is_audited(hoks, staff, session_factory):
    writer = staff((A_SCHOOL, "write"))
    _change(writer, hoks["maija"], "maija.uusi@esimerkki.fi")
    reader = staff((A_SCHOOL, "read"))
    path = plan_path(MAIJA, hoks["maija"])
    versions = page(reader, f"{path}/historia", params={"lang": "en"})
    for number in (1, 2):
        assert f'href="{path}/historia/{number}"' in versions.text
        assert f"Read version {number}" in text_of(versions)
    first = page(reader, f"{path}/historia/1", params={"lang": "en"})
    assert first.status_code == 200, first.text
    words = text_of(first)
    assert "Version 1 of the plan" in words
    assert "maija.uusi@esimerkki.fi" not in words  # as version 1 said it
    assert f'href="{path}/historia"' in first.text
    second = text_of(page(reader, f"{path}/historia/2", params={"lang": "fi"}))
    assert "Suunnitelman versio 2" in second
    assert "maija.uusi@esimerkki.fi" in second
    with session_factory() as session:
        audited = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.operation == "read-hoks-history")
            .order_by(AuditEvent.id.desc())
        ).first()
    assert audited is not None
    assert (audited.outcome, audited.hoks_id, audited.oppija_oid) == (
        "success",
        hoks["maija"],
        MAIJA,
    )
    assert audited.details["version"] == 2
    assert page(reader, f"{path}/historia/9").status_code == 404
    assert page(staff((B_SCHOOL, "admin")), f"{path}/historia/1").status_code == 404
    assert page(reader, plan_path(MATTI, hoks["maija"]) + "/historia/1").status_code == 404
