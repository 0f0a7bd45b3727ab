"""The student API: own data only, and who has handled it."""

from __future__ import annotations

from sqlalchemy import func, select

from ehoks.audit.models import AuditEvent
from tests.people.conftest import A_SCHOOL, EETU, MAIJA, MATTI


def test_student_sees_own_name_hoks_and_study_rights(hoks, student):
    maija = student(MAIJA)
    assert maija.get(f"/oppijat/{MAIJA}").json()["data"] == {
        "oid": MAIJA,
        "nimi": "Maija Liisa Virtanen",
    }
    body = maija.get(f"/oppijat/{MAIJA}/hoks").json()
    [document] = body["data"]
    assert "id" not in document
    assert document["eid"]
    assert document["oppija-oid"] == MAIJA
    assert document["hankittavat-ammat-tutkinnon-osat"]
    names = body["meta"]["opiskeluoikeudet"][document["opiskeluoikeus-oid"]]
    assert names["tutkinto-nimi"]["fi"] == "Sosiaali- ja terveysalan perustutkinto"
    assert names["osaamisala-nimi"]["sv"] == "Kompetensområdet för närvård"
    assert "names" not in body
    named = maija.get(f"/oppijat/{MAIJA}/hoks", params={"nimet": "true"}).json()
    assert named["names"][A_SCHOOL]["fi"] == "Hämeenkylän ammattiopisto"
    rights = maija.get(f"/oppijat/{MAIJA}/opiskeluoikeudet").json()["data"]
    assert [r["oid"] for r in rights] == ["1.2.246.562.15.10000000009"]


def test_student_cannot_see_another_student(hoks, student):
    maija = student(MAIJA)
    for path in ("", "/hoks", "/opiskeluoikeudet", "/tapahtumat"):
        response = maija.get(f"/oppijat/{MATTI}{path}")
        assert response.status_code == 403, path
        assert response.json()["code"] == "not_own_data"


def test_a_session_without_hoks_sees_nothing(hoks, student):
    # A guardian signs in as themselves: their own OID has no HOKS, and the child's is refused.
    guardian = student(EETU)
    assert guardian.get(f"/oppijat/{EETU}/hoks").json()["data"] == []
    assert guardian.get(f"/oppijat/{MAIJA}/hoks").status_code == 403
    stranger = student("1.2.246.562.24.00000000018")
    assert stranger.get("/oppijat/1.2.246.562.24.00000000018/hoks").json()["data"] == []
    assert stranger.get("/oppijat/1.2.246.562.24.00000000018").status_code == 404


def test_staff_are_refused_on_student_routes(hoks, staff):
    reader = staff((A_SCHOOL, "read"))
    response = reader.http.get(
        f"/ehoks-oppija-backend/api/v1/oppija/oppijat/{MAIJA}/hoks", headers=reader.headers
    )
    assert response.status_code == 403


def test_access_log_names_organisations_never_people(hoks, staff, student):
    reader = staff((A_SCHOOL, "read"))
    assert reader.get(f"/oppijat/{MAIJA}/hoksit/{hoks['maija']}").status_code == 200
    writer = staff((A_SCHOOL, "write"))
    patched = writer.send(
        "PATCH",
        f"/oppijat/{MAIJA}/hoksit/{hoks['maija']}",
        {"id": hoks["maija"], "sahkoposti": "uusi@example.fi"},
    )
    assert patched.status_code == 204
    outsider = staff(("1.2.246.562.10.81927839314", "read"))
    assert outsider.get(f"/oppijat/{MAIJA}/hoksit/{hoks['maija']}").status_code == 404

    maija = student(MAIJA)
    maija.get(f"/oppijat/{MAIJA}/hoks")
    response = maija.get(f"/oppijat/{MAIJA}/tapahtumat")
    assert response.status_code == 200
    events = response.json()["data"]
    by_staff = [e for e in events if e["actor-kind"] == "staff"]
    assert [(e["operation"], e["role"], e["organisation-oid"]) for e in by_staff] == [
        ("patch-hoks", "write", A_SCHOOL),
        ("read-hoks", "read", A_SCHOOL),
    ]
    assert by_staff[0]["organisation-nimi"] == {
        "fi": "Hämeenkylän ammattiopisto",
        "sv": by_staff[0]["organisation-nimi"]["sv"],
        "en": by_staff[0]["organisation-nimi"]["en"],
    }
    assert all(e["outcome"] == "success" for e in events)
    assert any(e["actor-kind"] == "student" and e["operation"] == "read-hoks" for e in events)
    text = response.text
    for who in (reader, writer, outsider):
        staff_oid = who.staff_oid
        assert staff_oid not in text
    assert "Staff " not in text


def test_the_access_log_lists_only_events_about_the_student(hoks, student, session_factory):
    matti = student(MATTI)
    assert matti.get(f"/oppijat/{MATTI}/hoks").status_code == 200  # an event about Matti
    maija = student(MAIJA)
    assert maija.get(f"/oppijat/{MAIJA}/hoks").status_code == 200  # and one about Maija
    with session_factory() as session:
        about = select(func.count()).select_from(AuditEvent).where(AuditEvent.outcome == "success")
        hers = session.scalar(about.where(AuditEvent.oppija_oid == MAIJA))
        his = session.scalar(about.where(AuditEvent.oppija_oid == MATTI))
    assert his >= 1
    events = maija.get(f"/oppijat/{MAIJA}/tapahtumat").json()["data"]
    assert len(events) == hers >= 1
