"""GET /virkailija/oppijat: the student search of an organisation and its subtree."""

from __future__ import annotations

from tests.people.conftest import (
    A_SCHOOL,
    A_SCHOOL_2,
    B_SCHOOL,
    JUHO,
    MAIJA,
    MATTI,
    PROVIDER_A,
    ROOT,
    STAFF_API,
    VILLE,
)
from tests.support.shortcuts import assert_same_answer, routed_then_first


def names(response):
    assert response.status_code == 200, response.text
    return [row["nimi"] for row in response.json()["data"]]


def test_read_on_the_school_lists_its_students_with_their_study_rights(hoks, staff):
    reader = staff((A_SCHOOL, "read"))
    response = reader.get("/oppijat", params={"oppilaitos-oid": A_SCHOOL})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["meta"]["total-count"] == 4
    assert {row["oid"] for row in body["data"]} == {MATTI, MAIJA, JUHO}
    maija = next(row for row in body["data"] if row["oid"] == MAIJA)
    assert maija == {
        "oid": MAIJA,
        "nimi": "Maija Liisa Virtanen",
        "opiskeluoikeus-oid": "1.2.246.562.15.10000000009",
        "hoks-id": hoks["maija"],
        "tutkinto-nimi": maija["tutkinto-nimi"],
        "osaamisala-nimi": maija["osaamisala-nimi"],
    }
    assert maija["osaamisala-nimi"]["fi"] == "Lähihoidon osaamisala"
    assert set(maija["tutkinto-nimi"]) == {"fi", "sv", "en"}


def test_a_grant_above_covers_the_subtree_and_nothing_leaks_sideways(hoks, staff):
    parent = staff((PROVIDER_A, "read"))
    assert (
        parent.get("/oppijat", params={"oppilaitos-oid": PROVIDER_A}).json()["meta"]["total-count"]
        == 4
    )
    assert parent.get("/oppijat", params={"oppilaitos-oid": A_SCHOOL}).status_code == 200
    assert parent.get("/oppijat", params={"oppilaitos-oid": A_SCHOOL_2}).json()["data"] == []
    # Nothing is inherited upward or sideways.
    school = staff((A_SCHOOL, "write"))
    assert school.get("/oppijat", params={"oppilaitos-oid": PROVIDER_A}).status_code == 403
    other = staff((B_SCHOOL, "admin"))
    denied = other.get("/oppijat", params={"oppilaitos-oid": A_SCHOOL})
    assert denied.status_code == 403
    assert denied.json()["code"] == "organisation_forbidden"
    assert [
        r["oid"] for r in other.get("/oppijat", params={"oppilaitos-oid": B_SCHOOL}).json()["data"]
    ] == [VILLE]


def test_national_admin_sees_every_organisation(hoks, staff):
    admin = staff((ROOT, "admin"))
    assert admin.get("/oppijat", params={"oppilaitos-oid": ROOT}).json()["meta"]["total-count"] == 5


def test_filters(hoks, staff):
    reader = staff((A_SCHOOL, "read"))

    def search(**params):
        return reader.get("/oppijat", params={"oppilaitos-oid": A_SCHOOL, **params})

    assert names(search(nimi="matti MEIK")) == ["Matti Juhani Meikäläinen"] * 2
    assert names(search(nimi="virtanen,maija")) == ["Maija Liisa Virtanen"]
    assert names(search(nimi="maija matti")) == []
    assert names(search(tutkinto="logist")) == ["Juho Antero Mäkinen"]
    assert names(search(tutkinto="logistics", locale="en")) == ["Juho Antero Mäkinen"]
    assert names(search(osaamisala="lähihoid")) == ["Maija Liisa Virtanen"]
    by_id = search(**{"hoks-id": hoks["juho"]}).json()
    assert by_id["meta"]["total-count"] == 1
    assert by_id["data"][0]["hoks-id"] == hoks["juho"]


def test_sorting_and_paging(hoks, staff):
    reader = staff((A_SCHOOL, "read"))

    def search(**params):
        return reader.get("/oppijat", params={"oppilaitos-oid": A_SCHOOL, **params})

    ascending = names(search())
    assert ascending == [
        "Matti Juhani Meikäläinen",
        "Matti Juhani Meikäläinen",
        "Juho Antero Mäkinen",
        "Maija Liisa Virtanen",
    ]
    assert names(search(desc="true")) == list(reversed(ascending))
    page = search(**{"item-count": 2, "page": 1}).json()
    assert page["meta"]["total-count"] == 4
    assert [r["nimi"] for r in page["data"]] == ascending[2:]
    assert names(search(**{"item-count": 2, "page": 2})) == []
    by_tutkinto = search(**{"order-by-column": "tutkinto"}).json()["data"]
    assert by_tutkinto[0]["tutkinto-nimi"]["fi"] == "Logistiikan perustutkinto"


def test_bad_parameters_are_400(hoks, staff):
    reader = staff((A_SCHOOL, "read"))
    unknown = reader.get("/oppijat", params={"oppilaitos-oid": "1.2.246.562.10.99999999999"})
    assert unknown.status_code == 400
    assert unknown.json()["code"] == "organisation_unknown"
    for params in ({"item-count": 101}, {"item-count": 0}, {"order-by-column": "hetu"}):
        response = reader.get("/oppijat", params={"oppilaitos-oid": A_SCHOOL, **params})
        assert response.status_code == 400, params
    assert reader.get("/oppijat").status_code == 400


def test_sign_in_is_required_and_students_are_refused(hoks, staff, student, http):
    anonymous = http.get(
        "/ehoks-virkailija-backend/api/v1/virkailija/oppijat", params={"oppilaitos-oid": A_SCHOOL}
    )
    assert anonymous.status_code == 401
    as_student = student(MAIJA)
    refused = as_student.http.get(
        "/ehoks-virkailija-backend/api/v1/virkailija/oppijat",
        params={"oppilaitos-oid": A_SCHOOL},
        headers=as_student.headers,
    )
    assert refused.status_code == 403


def test_a_revoked_grant_is_refused_on_the_very_next_search(hoks, staff, session_factory):
    """The grants come with the session on every request: nothing keeps a revoked one alive."""
    from sqlalchemy import delete

    from ehoks.people.models import StaffGrant

    reader = staff((A_SCHOOL, "read"), (B_SCHOOL, "read"))
    assert reader.get("/oppijat", params={"oppilaitos-oid": A_SCHOOL}).status_code == 200
    assert reader.get("/oppijat", params={"oppilaitos-oid": B_SCHOOL}).status_code == 200
    with session_factory() as session:
        session.execute(
            delete(StaffGrant).where(
                StaffGrant.staff_oid == reader.staff_oid, StaffGrant.organisation_oid == A_SCHOOL
            )
        )
        session.commit()
    refused = reader.get("/oppijat", params={"oppilaitos-oid": A_SCHOOL})
    assert refused.status_code == 403
    assert refused.json()["code"] == "organisation_forbidden"
    # The declared route (a parameter the shortcut leaves to it) refuses it alike.
    declared = reader.get("/oppijat", params={"oppilaitos-oid": A_SCHOOL, "desc": "1"})
    assert declared.status_code == 403
    kept = reader.get("/oppijat", params={"oppilaitos-oid": B_SCHOOL})
    assert [row["oid"] for row in kept.json()["data"]] == [VILLE]
    with session_factory() as session:
        session.execute(delete(StaffGrant).where(StaffGrant.staff_oid == reader.staff_oid))
        session.commit()
    assert reader.get("/oppijat", params={"oppilaitos-oid": B_SCHOOL}).status_code == 403


def test_a_changed_name_in_the_person_registry_is_found_and_sorted_at_once(
    hoks, staff, session_factory, tmp_path
):
    """The list sorts and searches a copy of the name on each HOKS; an import keeps it current."""
    import json

    from ehoks.registry.service import import_files
    from tests.support.api import DATA

    lines = (DATA / "registry" / "students.json").read_text(encoding="utf-8").splitlines()
    maija = next(json.loads(line) for line in lines if MAIJA in line)
    maija["henkilö"]["sukunimi"] = "Aaltonen"
    renamed = tmp_path / "renamed.json"
    renamed.write_text(json.dumps(maija, ensure_ascii=False), encoding="utf-8")
    with session_factory() as session:
        import_files(session, [renamed])
        session.commit()

    reader = staff((A_SCHOOL, "read"))
    found = names(reader.get("/oppijat", params={"oppilaitos-oid": A_SCHOOL, "nimi": "aaltonen"}))
    assert found == ["Maija Liisa Aaltonen"]
    assert (
        names(reader.get("/oppijat", params={"oppilaitos-oid": A_SCHOOL, "nimi": "virtanen"})) == []
    )
    first = names(reader.get("/oppijat", params={"oppilaitos-oid": A_SCHOOL, "item-count": 1}))
    assert first == ["Maija Liisa Aaltonen"]


def test_names_are_searched_in_unicode_nfc_whichever_form_is_stored_or_typed(
    hoks, staff, session_factory, db, tmp_path
):
    """A registry may spell "ä" as "a" + U+0308 (decomposed); the person typing uses either."""
    import json
    import unicodedata
    from importlib import import_module

    from sqlalchemy import select, text

    from ehoks.hoks.models import Hoks
    from ehoks.registry.service import import_files
    from tests.support.api import DATA

    decomposed = unicodedata.normalize("NFD", "Väisänen")
    assert decomposed != "Väisänen"
    lines = (DATA / "registry" / "students.json").read_text(encoding="utf-8").splitlines()
    maija = next(json.loads(line) for line in lines if MAIJA in line)
    maija["henkilö"]["sukunimi"] = decomposed
    renamed = tmp_path / "renamed.json"
    renamed.write_text(json.dumps(maija, ensure_ascii=False), encoding="utf-8")
    with session_factory() as session:
        import_files(session, [renamed])
        session.commit()
        stored = session.scalars(select(Hoks.sort_name).where(Hoks.oppija_oid == MAIJA)).all()
    assert stored
    assert all(unicodedata.is_normalized("NFC", name) for name in stored)

    reader = staff((A_SCHOOL, "read"))
    for typed in ("väisänen", unicodedata.normalize("NFD", "väisä"), "VÄISÄNEN maija"):
        found = names(reader.get("/oppijat", params={"oppilaitos-oid": A_SCHOOL, "nimi": typed}))
        assert len(found) == 1, typed

    # Rows stored before the service normalised: the migration rewrites them in NFC.
    with db.begin() as conn:
        conn.execute(
            text("UPDATE hoks SET sort_name = :n WHERE oppija_oid = :o"),
            {"n": decomposed.lower(), "o": MAIJA},
        )
    migration = import_module("ehoks.migrations.versions.0006_nfc_sort_names")
    with db.begin() as conn:
        assert migration.renormalise(conn) == len(stored)
    found = names(reader.get("/oppijat", params={"oppilaitos-oid": A_SCHOOL, "nimi": "väisänen"}))
    assert found


def test_the_count_stops_at_the_cap_and_says_so(hoks, staff, monkeypatch):
    """A large organisation's count is not read to the end on every page: past the cap (or the
    end of the page asked for) the meta says the count stopped."""
    from ehoks.hoks import repository as hoks_repository

    reader = staff((A_SCHOOL, "read"))
    exact = reader.get("/oppijat", params={"oppilaitos-oid": A_SCHOOL, "item-count": 1}).json()
    assert exact["meta"] == {"total-count": 4, "total-count-capped": False}
    monkeypatch.setattr(hoks_repository, "COUNT_CAP", 2)
    capped = reader.get("/oppijat", params={"oppilaitos-oid": A_SCHOOL, "item-count": 1}).json()
    assert capped["meta"] == {"total-count": 2, "total-count-capped": True}
    assert capped["data"] == exact["data"]
    # The count reaches at least the end of the page asked for.
    last = {"oppilaitos-oid": A_SCHOOL, "item-count": 1, "page": 3}
    assert reader.get("/oppijat", params=last).json()["meta"] == {
        "total-count": 4,
        "total-count-capped": False,
    }


def test_a_search_by_name_counts_to_its_own_lower_cap(hoks, staff, monkeypatch):
    """A name's matches are scattered through the name order: the count of a search by name
    stops at `NAME_COUNT_CAP` and says so; the list without a name keeps the larger cap."""
    from ehoks.hoks import repository as hoks_repository

    reader = staff((A_SCHOOL, "read"))
    by_name = {"oppilaitos-oid": A_SCHOOL, "nimi": "matti", "item-count": 1}
    exact = reader.get("/oppijat", params=by_name).json()
    assert exact["meta"] == {"total-count": 2, "total-count-capped": False}
    monkeypatch.setattr(hoks_repository, "NAME_COUNT_CAP", 1)
    capped = reader.get("/oppijat", params=by_name).json()
    assert capped["meta"] == {"total-count": 1, "total-count-capped": True}
    assert capped["data"] == exact["data"]
    everyone = reader.get("/oppijat", params={"oppilaitos-oid": A_SCHOOL, "item-count": 1})
    assert everyone.json()["meta"] == {"total-count": 4, "total-count-capped": False}


def test_the_migration_writes_the_search_names_of_stored_plans(hoks, staff, db):
    from importlib import import_module

    from sqlalchemy import text

    with db.begin() as conn:
        conn.execute(text("UPDATE hoks SET search_name = ''"))
        stored = conn.execute(text("SELECT count(*) FROM hoks")).scalar_one()
    reader = staff((A_SCHOOL, "read"))
    # A term of two letters is matched on the stored folded name (a longer one is read from the
    # name-suffix table, which migration 0026 fills: tests/people/test_name_parts.py).
    asked = {"oppilaitos-oid": A_SCHOOL, "nimi": "vi"}
    assert names(reader.get("/oppijat", params=asked)) == []
    migration = import_module("ehoks.migrations.versions.0013_search_name")
    with db.begin() as conn:
        assert migration.fill_search_names(conn) == stored
    assert names(reader.get("/oppijat", params=asked)) == ["Maija Liisa Virtanen"]


def test_the_shortcut_and_the_declared_route_answer_alike(hoks, staff):
    """A plainly written query is answered past FastAPI's parameter solving
    (`people.search.answer`); the same query written otherwise goes through the declared route.
    Both give the same answer, and what the declared route refuses is refused the same way."""
    reader = staff((A_SCHOOL, "read"))

    def search(**params):
        response = reader.get("/oppijat", params={"oppilaitos-oid": A_SCHOOL, **params})
        assert response.status_code == 200, response.text
        return response.json()

    plain = {"desc": "true", "item-count": "2", "page": "1", "order-by-column": "nimi"}
    otherwise = {"desc": "True", "item-count": "02", "page": "01", "order-by-column": "nimi"}
    assert search(**plain) == search(**otherwise)
    assert search(**plain)["data"]
    assert search(nimi="matti") == search(nimi="matti", unknown="x")
    assert search(**{"hoks-id": str(hoks["juho"])}) == search(**{"hoks-id": f"+{hoks['juho']}"})
    for wrong in ({"page": "-1"}, {"item-count": "101"}, {"desc": "maybe"}, {"locale": "de"}):
        refused = reader.get("/oppijat", params={"oppilaitos-oid": A_SCHOOL, **wrong})
        assert refused.status_code == 400, (wrong, refused.text)
    # The caller is admitted by the route's own policy either way.
    assert (
        reader.http.get(reader.base + "/oppijat", params={"oppilaitos-oid": A_SCHOOL}).status_code
        == 401
    )


def test_a_search_answered_before_routing_is_the_routed_one(
    hoks, staff, live_server, session_factory
):
    """Once FastAPI has routed the search's address, its GETs are offered to the shortcut before
    the route search (`kit.shortcut.ShortcutsFirst`): the same answers, refusals included, and a
    grant revoked is refused on the next request either way."""
    path = STAFF_API + "/oppijat"
    reader = staff((A_SCHOOL, "read"), (B_SCHOOL, "read"))
    asks = [
        {"oppilaitos-oid": A_SCHOOL, "nimi": "matti"},
        {"oppilaitos-oid": A_SCHOOL, "desc": "true", "item-count": "2", "page": "1"},
        {"oppilaitos-oid": A_SCHOOL, "desc": "True"},  # left to the declared route
        {"oppilaitos-oid": A_SCHOOL, "page": "-1"},  # refused by the declared route: 400
        {"oppilaitos-oid": PROVIDER_A},  # no grant there: 403
    ]
    for params in asks:
        routed, first = routed_then_first(
            live_server.app, path, lambda p=params: reader.get("/oppijat", params=p)
        )
        assert_same_answer(routed, first)
    signed_out = routed_then_first(
        live_server.app, path, lambda: reader.http.get(path, params={"oppilaitos-oid": A_SCHOOL})
    )
    assert signed_out[0].status_code == 401
    assert_same_answer(*signed_out)
    from sqlalchemy import delete

    from ehoks.people.models import StaffGrant

    assert path in live_server.app.router.middleware_stack.known
    assert reader.get("/oppijat", params={"oppilaitos-oid": B_SCHOOL}).status_code == 200
    with session_factory() as session:
        session.execute(
            delete(StaffGrant).where(
                StaffGrant.staff_oid == reader.staff_oid, StaffGrant.organisation_oid == B_SCHOOL
            )
        )
        session.commit()
    assert reader.get("/oppijat", params={"oppilaitos-oid": B_SCHOOL}).status_code == 403
