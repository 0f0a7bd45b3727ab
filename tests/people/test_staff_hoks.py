"""The staff HOKS routes: roles, inheritance, procured training, create, change, delete, restore."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from ehoks.audit.models import AuditEvent
from ehoks.registry.models import CodeName
from tests.hoks.test_examples import periods_without_identifier
from tests.people.conftest import (
    A_SCHOOL,
    A_SCHOOL_2,
    B_SCHOOL,
    EETU,
    JUHO,
    JUHO_STUDY_RIGHT,
    MAIJA,
    MATTI,
    PROVIDER_A,
    PROVIDER_B,
    ROOT,
    VILLE,
)
from tests.support.api import fresh_example


def test_reader_reads_in_full_with_etag_and_inherits_from_above(hoks, staff):
    for grant in ((A_SCHOOL, "read"), (PROVIDER_A, "read"), (ROOT, "admin")):
        reader = staff(grant)
        response = reader.get(f"/oppijat/{MAIJA}/hoksit/{hoks['maija']}")
        assert response.status_code == 200, (grant, response.text)
        data = response.json()["data"]
        assert data["id"] == hoks["maija"]
        assert data["oppija-oid"] == MAIJA
        assert data["hankittavat-ammat-tutkinnon-osat"]
        etag = response.headers["ETag"]
        again = reader.get(f"/oppijat/{MAIJA}/hoksit/{hoks['maija']}", headers={})
        assert again.headers["ETag"] == etag
        cached = reader.http.get(
            reader.base + f"/oppijat/{MAIJA}/hoksit/{hoks['maija']}",
            headers={**reader.headers, "If-None-Match": etag},
        )
        assert cached.status_code == 304


def test_another_providers_hoks_does_not_exist_for_the_caller(hoks, staff):
    other = staff((PROVIDER_B, "admin"))
    assert other.get(f"/oppijat/{MAIJA}/hoksit/{hoks['maija']}").status_code == 404
    assert other.get(f"/oppijat/{MAIJA}/hoksit").status_code == 404
    assert other.get(f"/oppijat/{MAIJA}").status_code == 404
    assert other.get(f"/oppijat/{MAIJA}/opiskeluoikeudet").status_code == 404
    assert (
        other.send("PATCH", f"/oppijat/{MAIJA}/hoksit/{hoks['maija']}", {"sahkoposti": "x@y.fi"})
    ).status_code == 404
    # A HOKS asked for under another student is not found either, even for its own provider.
    own = staff((A_SCHOOL, "read"))
    assert own.get(f"/oppijat/{MATTI}/hoksit/{hoks['maija']}").status_code == 404


def test_reader_may_not_change_and_is_told_so(hoks, staff):
    reader = staff((A_SCHOOL, "read"))
    path = f"/oppijat/{MAIJA}/hoksit/{hoks['maija']}"
    patched = reader.send("PATCH", path, {"id": hoks["maija"], "sahkoposti": "uusi@example.fi"})
    assert patched.status_code == 403
    assert patched.json()["code"] == "hoks_role_missing"
    assert (
        reader.send("PATCH", path + "/shallow-delete", {"oppilaitos-oid": None}).status_code == 403
    )


def test_student_views_list_only_own_students_hoks(hoks, staff):
    reader = staff((A_SCHOOL, "read"))
    listed = reader.get(f"/oppijat/{MATTI}/hoksit").json()["data"]
    assert {item["id"] for item in listed} == {hoks["matti"], hoks["matti_tuva"]}
    assert all("hankittavat-ammat-tutkinnon-osat" not in item for item in listed)
    assert reader.get(f"/oppijat/{MATTI}").json()["data"] == {
        "oid": MATTI,
        "nimi": "Matti Juhani Meikäläinen",
    }
    rights = reader.get(f"/oppijat/{MATTI}/opiskeluoikeudet").json()["data"]
    assert len(rights) == 5
    assert all("oid" in right for right in rights)
    # A study right without a HOKS is enough to reach the student.
    assert reader.get(f"/oppijat/{EETU}").status_code == 200
    assert reader.get(f"/oppijat/{EETU}/hoksit").json()["data"] == []
    assert reader.get(f"/oppijat/{VILLE}").status_code == 404


def test_procured_training_gives_read_not_write(hoks, staff):
    carrying_out = staff((B_SCHOOL, "write"), (B_SCHOOL, "delete"))
    path = f"/oppijat/{JUHO}/hoksit/{hoks['juho']}"
    assert carrying_out.get(path).status_code == 200
    assert [h["id"] for h in carrying_out.get(f"/oppijat/{JUHO}/hoksit").json()["data"]] == [
        hoks["juho"]
    ]
    patched = carrying_out.send("PATCH", path, {"id": hoks["juho"], "sahkoposti": "x@example.fi"})
    assert patched.status_code == 403
    assert carrying_out.send("PATCH", path + "/shallow-delete", {}).status_code == 403
    document = carrying_out.get(path).json()["data"]
    assert carrying_out.send("PUT", path, document).status_code == 403
    # The procurer's other students stay out of reach.
    assert carrying_out.get(f"/oppijat/{MAIJA}/hoksit/{hoks['maija']}").status_code == 404


JUHO_AT_B = "1.2.246.562.15.20251000046"  # procured training at B, part of JUHO_STUDY_RIGHT


def test_staff_see_only_their_own_providers_study_rights(hoks, staff):
    """Juho studies at A, and part of his training is procured from B (a study right of B's,
    contained in A's). A's staff see A's study right only; B's staff see B's own and A's, whose
    training they carry out; nobody else sees either."""

    def study_rights(person):
        response = person.get(f"/oppijat/{JUHO}/opiskeluoikeudet")
        assert response.status_code == 200, response.text
        return sorted(right["oid"] for right in response.json()["data"])

    assert study_rights(staff((A_SCHOOL, "read"))) == [JUHO_STUDY_RIGHT]
    assert study_rights(staff((PROVIDER_A, "admin"))) == [JUHO_STUDY_RIGHT]
    assert study_rights(staff((B_SCHOOL, "read"))) == sorted([JUHO_STUDY_RIGHT, JUHO_AT_B])
    assert study_rights(staff((ROOT, "read"))) == sorted([JUHO_STUDY_RIGHT, JUHO_AT_B])
    other = staff((A_SCHOOL_2, "admin"))
    assert other.get(f"/oppijat/{JUHO}/opiskeluoikeudet").status_code == 404


def _statements(engine, call):
    """The SQL statements (text only) the server runs while answering `call()`."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, _parameters, _context, _many):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        response = call()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return response, seen


@pytest.mark.parametrize("tail", ["", "/opiskeluoikeudet", "/hoksit"])
def test_a_student_elsewhere_and_no_student_at_all_take_the_same_work(
    hoks, staff, live_server, tail
):
    """B's staff ask for Maija (A's student) and for an OID nobody has: the same answer after the
    same queries, so neither the body nor the time taken tells them that Maija exists."""
    other = staff((B_SCHOOL, "write"))
    nobody = "1.2.246.562.24.99999999990"
    for oid in (MAIJA, nobody):  # fill the caches of the organisation tree first
        other.get(f"/oppijat/{oid}{tail}")
    engine = live_server.app.state.engine
    elsewhere, elsewhere_sql = _statements(engine, lambda: other.get(f"/oppijat/{MAIJA}{tail}"))
    missing, missing_sql = _statements(engine, lambda: other.get(f"/oppijat/{nobody}{tail}"))
    assert elsewhere.status_code == missing.status_code == 404
    assert elsewhere.json()["code"] == missing.json()["code"] == "staff_student_not_found"
    assert elsewhere_sql == missing_sql


@pytest.mark.parametrize(
    "name",
    [
        "hoks_ainoastaan_YTOja.json",
        "hoks_ainoastaan_ammatillisia.json",
        "hoks_ainoastaan_paikallisia.json",
    ],
)
def test_staff_create_fills_period_ids_and_marks_manual_entry(registry, staff, name):
    writer = staff((PROVIDER_A, "write"))
    document = fresh_example(name)
    assert periods_without_identifier(document)
    created = writer.send("POST", f"/oppijat/{MATTI}/hoksit", document)
    assert created.status_code == 200, created.text
    new_id = created.json()["meta"]["id"]
    assert created.json()["data"]["uri"].endswith(f"/oppijat/{MATTI}/hoksit/{new_id}")
    stored = writer.get(f"/oppijat/{MATTI}/hoksit/{new_id}").json()["data"]
    assert stored["manuaalisyotto"] is True
    assert periods_without_identifier(stored) == []


def test_create_refuses_a_mismatch_and_other_roles(registry, staff):
    document = fresh_example("hoks_tuva.json")
    writer = staff((A_SCHOOL, "write"))
    mismatch = writer.send("POST", f"/oppijat/{MAIJA}/hoksit", document)
    assert mismatch.status_code == 400
    assert [v["code"] for v in mismatch.json()["violations"]] == ["oppija_oid_mismatch"]
    assert (
        staff((A_SCHOOL, "read")).send("POST", f"/oppijat/{MATTI}/hoksit", document).status_code
        == 403
    )
    assert (
        staff((B_SCHOOL, "write")).send("POST", f"/oppijat/{MATTI}/hoksit", document).status_code
        == 403
    )
    assert writer.send("POST", f"/oppijat/{MATTI}/hoksit", document).status_code == 200


def test_put_and_patch_with_if_match(hoks, staff):
    writer = staff((A_SCHOOL, "write"))
    path = f"/oppijat/{MAIJA}/hoksit/{hoks['maija']}"
    first = writer.get(path)
    etag = first.headers["ETag"]
    patched = writer.send(
        "PATCH",
        path,
        {"id": hoks["maija"], "sahkoposti": "uusi@example.fi"},
        headers={"If-Match": etag},
    )
    assert patched.status_code == 204, patched.text
    stale = writer.send(
        "PATCH",
        path,
        {"id": hoks["maija"], "sahkoposti": "taas@example.fi"},
        headers={"If-Match": etag},
    )
    assert stale.status_code == 412
    document = writer.get(path).json()["data"]
    assert document["sahkoposti"] == "uusi@example.fi"
    document["sahkoposti"] = "put@example.fi"
    replaced = writer.send("PUT", path, document, headers={"If-Match": patched.headers["ETag"]})
    assert replaced.status_code == 204, replaced.text
    assert writer.get(path).json()["data"]["sahkoposti"] == "put@example.fi"


def test_delete_hides_restore_brings_back_and_both_are_audited(hoks, staff, session):
    path = f"/oppijat/{MAIJA}/hoksit/{hoks['maija']}"
    deleter = staff((A_SCHOOL, "delete"))
    writer = staff((A_SCHOOL, "write"))
    deleted = deleter.send("PATCH", path + "/shallow-delete", {"oppilaitos-oid": A_SCHOOL})
    assert deleted.status_code == 200, deleted.text
    assert deleted.json() == {"success": hoks["maija"]}
    assert deleter.get(path).status_code == 404
    assert deleter.get(f"/oppijat/{MAIJA}/hoksit").json()["data"] == []
    listed = deleter.get("/oppijat", params={"oppilaitos-oid": A_SCHOOL}).json()
    assert MAIJA not in {row["oid"] for row in listed["data"]}
    assert deleter.send("PATCH", path + "/shallow-delete", {}).status_code == 404

    assert writer.send("PATCH", path + "/restore").status_code == 403
    assert staff((PROVIDER_B, "admin")).send("PATCH", path + "/restore").status_code == 404
    assert deleter.send("PATCH", path + "/restore").status_code == 200
    assert deleter.get(path).status_code == 200
    assert staff((ROOT, "admin")).send("PATCH", path + "/shallow-delete").status_code == 200
    assert staff((ROOT, "admin")).send("PATCH", path + "/restore").status_code == 200

    events = session.scalars(
        select(AuditEvent).where(AuditEvent.hoks_id == hoks["maija"]).order_by(AuditEvent.id)
    ).all()
    outcomes = [(e.operation, e.outcome, e.organisation_oid, e.role) for e in events]
    assert ("delete-hoks", "success", A_SCHOOL, "delete") in outcomes
    assert ("restore-hoks", "denied", None, "delete") in outcomes or (
        "restore-hoks",
        "denied",
        A_SCHOOL,
        "delete",
    ) in outcomes
    assert ("restore-hoks", "success", A_SCHOOL, "delete") in outcomes
    assert ("restore-hoks", "success", ROOT, "delete") in outcomes
    assert ("read-hoks", "success", A_SCHOOL, "read") in outcomes
    assert all(e.oppija_oid == MAIJA for e in events if e.outcome == "success")


def test_names_of_codes_and_organisations(hoks, staff, session):
    code = session.get(CodeName, "tutkinnonosat_100022") or CodeName(
        uri="tutkinnonosat_100022", content_hash="0" * 64
    )
    code.names = {"fi": "Asiakkaan kohtaaminen", "sv": "Bemötande av kunden"}
    session.add(code)
    unknown = session.get(CodeName, "tutkinnonosat_102499")
    if unknown is not None:
        session.delete(unknown)
    session.commit()
    reader = staff((A_SCHOOL, "read"))
    plain = reader.get(f"/oppijat/{MAIJA}/hoksit/{hoks['maija']}").json()
    assert "names" not in plain
    body = reader.get(f"/oppijat/{MAIJA}/hoksit/{hoks['maija']}", params={"nimet": "true"}).json()
    names = body["names"]
    assert names["tutkinnonosat_100022"] == {
        "fi": "Asiakkaan kohtaaminen",
        "sv": "Bemötande av kunden",
        "en": "Asiakkaan kohtaaminen",  # a readable fallback, never empty
    }
    assert names["tutkinnonosat_102499"] == dict.fromkeys(
        ("fi", "sv", "en"), "tutkinnonosat_102499"
    )
    assert names[A_SCHOOL]["fi"] == "Hämeenkylän ammattiopisto"
    assert set(names[A_SCHOOL]) == {"fi", "sv", "en"}
    assert MAIJA not in names
    assert body["data"]["id"] == hoks["maija"]
