"""Every list shows exactly the rows that a single read of each would give its caller.

For each list route and every kind of caller, the rows listed are compared with the rows the same
caller may read one at a time (through the matching single-read route where there is one, else
through the decision `ehoks.access` makes for that single read). A list that showed one row more
would leak data; one row fewer would hide a student from their own school.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ehoks.access.decision import Action, Period
from ehoks.hoks.models import Hoks
from ehoks.hoks.stored import ownership
from ehoks.instructor.models import WorkplacePeriod
from ehoks.instructor.service import window
from ehoks.registry.directory import access_for, forget_cached_tree, study_right_ownership
from ehoks.registry.models import Organisation, StudyRight
from ehoks.registry.repository import split_path
from tests.access import world as w

V = "/ehoks-virkailija-backend/api/v1"
STAFF = f"{V}/virkailija"
STUDENT = "/ehoks-oppija-backend/api/v1/oppija"


@pytest.fixture
def world(http, session_factory, live_server):
    built = w.build(http, session_factory, live_server.app.state.settings)
    yield built
    forget_cached_tree()


def _live_hoks(world):
    return {hoks_id for hoks_id in world.hoks.values() if hoks_id not in world.deleted}


def _oppija_of(world):
    with world.factory() as session:
        return dict(session.execute(select(Hoks.id, Hoks.oppija_oid)).all())


def test_the_feed_pages_exactly_the_hoks_a_provider_system_may_read(world):
    for caller in w.CALLERS:
        listed, deleted, after = set(), set(), 0
        while True:
            response = world.get(caller, f"{V}/hoks/paged", **{"from-id": after, "amount": 2})
            if response.status_code != 200:
                assert response.status_code == 401, (caller, response.text)
                break
            page = response.json()["data"]
            if not page["result"]:
                break
            for row in page["result"]:
                (deleted if "poistettu" in row else listed).add(row["id"])
            after = page["last-id"]
        readable = {
            hoks_id
            for hoks_id in _live_hoks(world)
            if world.get(caller, f"{V}/hoks/{hoks_id}").status_code == 200
        }
        assert listed == readable, caller
        # A deleted HOKS cannot be read, but the feed keeps it for the organisations that own it.
        assert deleted <= world.deleted, caller
        assert bool(deleted) == bool(readable & {world.hoks["matti"]}), caller


def _below(world):
    """Every organisation and those under it, from the registry's tree (the list's own filter)."""
    with world.factory() as session:
        rows = session.execute(
            select(Organisation.oid, Organisation.parent_oid, Organisation.parent_oid_path)
        ).all()
    below = {oid: {oid} for oid, _, _ in rows}
    for oid, parent, path in rows:
        for above in {*split_path(path or ""), *([parent] if parent else [])}:
            below.setdefault(above, {above}).add(oid)
    below[w.ROOT] = set(below)  # the national root holds every organisation
    return below


def _owners(world):
    with world.factory() as session:
        return {
            hoks_id: {oppilaitos, koulutustoimija}
            for hoks_id, oppilaitos, koulutustoimija in session.execute(
                select(Hoks.id, Hoks.oppilaitos_oid, Hoks.koulutustoimija_oid)
            ).all()
        }


def _staff_readable(world, caller, oppija_of):
    return {
        hoks_id
        for hoks_id in _live_hoks(world)
        if world.get(caller, f"{STAFF}/oppijat/{oppija_of[hoks_id]}/hoksit/{hoks_id}").status_code
        == 200
    }


def test_the_student_search_lists_exactly_the_hoks_its_caller_may_read(world):
    below, owners, oppija_of = _below(world), _owners(world), _oppija_of(world)
    for caller in w.CALLERS:
        readable = _staff_readable(world, caller, oppija_of)
        for organisation in w.ORGANISATIONS:
            response = world.get(
                caller, f"{STAFF}/oppijat", **{"oppilaitos-oid": organisation, "item-count": 100}
            )
            if response.status_code != 200:
                assert response.status_code in {401, 403}, (caller, organisation, response.text)
                listed = set()
            else:
                listed = {row["hoks-id"] for row in response.json()["data"]}
                assert response.json()["meta"]["total-count"] == len(listed)
            within = {h for h in readable if owners[h] & below[organisation]}
            if response.status_code == 200:
                assert listed == within, (caller, organisation)
            elif within:
                # The list of an organisation needs a role on it (or above it); a caller whose
                # grants lie below it, or who reads through procured training, is refused the
                # whole list rather than shown part of it.
                grants = [g for g, _ in w.STAFF_GRANTS.get(caller, ())]
                assert not any(organisation in below[g] for g in grants), (caller, organisation)
                assert response.json()["code"] == "organisation_forbidden"


def test_an_organisation_without_a_place_in_the_tree_lists_only_its_own(world):
    """A grant on an organisation imported with no parent does not make it the national root."""
    response = world.get(
        "staff_parentless_read", f"{STAFF}/oppijat", **{"oppilaitos-oid": w.PARENTLESS_SCHOOL}
    )
    assert response.status_code == 200, response.text
    assert [row["oid"] for row in response.json()["data"]] == [w.PERTTI]
    assert response.json()["meta"]["total-count"] == 1
    everyone = world.get(
        "staff_national_admin", f"{STAFF}/oppijat", **{"oppilaitos-oid": w.ROOT, "item-count": 100}
    )
    assert everyone.json()["meta"]["total-count"] == len(_live_hoks(world))


def test_a_students_hoks_list_holds_exactly_the_hoks_its_caller_may_read(world):
    oppija_of = _oppija_of(world)
    for caller in w.CALLERS:
        readable = _staff_readable(world, caller, oppija_of)
        for student in w.STUDENTS:
            response = world.get(caller, f"{STAFF}/oppijat/{student}/hoksit")
            listed = (
                {row["id"] for row in response.json()["data"]}
                if response.status_code == 200
                else set()
            )
            assert listed == {h for h in readable if oppija_of[h] == student}, (caller, student)


def _decided(world, decide):
    """`decide(access, session)` for every caller with a subject, in one short transaction
    (closed before any request: SQLite lets one writer in at a time)."""
    with world.factory() as session:
        return {
            caller: decide(access_for(session, subject), session)
            for caller, subject in world.subjects.items()
        }


def _listed(response, key):
    return {row[key] for row in response.json()["data"]} if response.status_code == 200 else set()


def test_a_students_study_rights_are_exactly_those_its_caller_may_read(world):
    def readable(access, session):
        return {
            (s.oppija_oid, s.oid)
            for s in session.scalars(select(StudyRight)).all()
            if access.study_right(study_right_ownership(s)).allowed
        }

    decided = _decided(world, readable)
    for caller in w.CALLERS:
        may_read = decided.get(caller, set()) if caller.startswith("staff_") else set()
        for student in w.STUDENTS:
            response = world.get(caller, f"{STAFF}/oppijat/{student}/opiskeluoikeudet")
            listed = _listed(response, "oid")
            assert listed == {oid for oppija, oid in may_read if oppija == student}, (
                caller,
                student,
            )


def test_a_students_own_list_is_exactly_the_hoks_they_may_read(world):
    def readable(access, session):
        rows = session.scalars(select(Hoks).where(Hoks.deleted_at.is_(None))).all()
        return {
            (row.oppija_oid, row.eid)
            for row in rows
            if access.hoks(ownership(row), Action.READ).allowed
        }

    decided = _decided(world, readable)
    for caller in w.CALLERS:
        subject = world.subjects.get(caller)
        for student in w.STUDENTS:
            response = world.get(caller, f"{STUDENT}/oppijat/{student}/hoks")
            own = caller.startswith("student_") and student == subject.oppija_oid
            assert (response.status_code == 200) == own, (caller, student)
            may_read = {eid for _, eid in decided[caller]} if own else set()
            assert _listed(response, "eid") == may_read, (caller, student)


def test_an_instructors_periods_are_exactly_those_they_may_see(world):
    seen_today = window(world.settings, w.today())

    def visible(access, session):
        return {
            (p.module_id, p.yksiloiva_tunniste)
            for p in session.scalars(select(WorkplacePeriod)).all()
            if access.period(Period(p.instructor_email, p.alku, p.loppu), seen_today).allowed
        }

    decided = _decided(world, visible)
    for caller in w.CALLERS:
        response = world.get(caller, "/ehoks-oppija-backend/api/v1/tyopaikkaohjaaja/jaksot")
        may_see = decided[caller] if caller.startswith("instructor_") else set()
        assert _listed(response, "module-id") == {module for module, _ in may_see}, caller
    # The window's edges: 30 days after the end and 14 days before the start, not one more.
    assert {tunniste for _, tunniste in decided["instructor_edge"]} == {"ended-30", "starts-14"}
    assert {tunniste for _, tunniste in decided["instructor_other"]} == {"now-other"}
