"""The policy module itself: each rule of `ehoks.access.rules.Access`, against the real registry.

The routes' tests show the rules at work; these pin each rule down where it is decided, so that a
changed rule fails here with a name that says which one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ehoks.access.decision import Action, Ownership, Period, VisibilityWindow
from ehoks.access.directory import OPH_ROOT_OID
from ehoks.access.subjects import (
    ClientAccess,
    Grant,
    Role,
    StaffSubject,
    StudentSubject,
    SystemClientSubject,
    WorkplaceInstructorSubject,
)
from ehoks.registry.directory import access_for, forget_cached_tree
from tests.access import world as w

MAIJA_HOKS = Ownership.of("1.2.246.562.15.10000000009", w.A_SCHOOL, w.PROVIDER_A, w.MAIJA)
JUHO_HOKS = Ownership.of("1.2.246.562.15.20251000038", w.A_SCHOOL, w.PROVIDER_A, w.JUHO)
VILLE_HOKS = Ownership.of("1.2.246.562.15.20251000012", w.B_SCHOOL, w.PROVIDER_B, w.VILLE)
PERTTI_HOKS = Ownership.of(
    "1.2.246.562.15.20251000103", w.PARENTLESS_SCHOOL, w.PARENTLESS_PROVIDER, w.PERTTI
)
VILLE_DUPLICATE = "1.2.246.562.24.30124551036"


@pytest.fixture
def session(session_factory):
    w.load(session_factory)
    with session_factory() as session:
        yield session
    forget_cached_tree()


def staff(*grants: tuple[str, Role]) -> StaffSubject:
    return StaffSubject("1.2.246.562.24.90000000999", "x", tuple(Grant(o, r) for o, r in grants))


def test_the_nearest_granting_organisation_is_named(session):
    access = access_for(
        session,
        staff((w.PROVIDER_A, Role.WRITE), (w.A_SCHOOL, Role.READ), (OPH_ROOT_OID, Role.ADMIN)),
    )
    read = access.hoks(MAIJA_HOKS, Action.READ)
    assert (read.allowed, read.role, read.organisation_oid) == (True, "read", w.A_SCHOOL)
    write = access.hoks(MAIJA_HOKS, Action.WRITE)
    assert (write.allowed, write.role, write.organisation_oid) == (True, "write", w.PROVIDER_A)
    delete = access.hoks(MAIJA_HOKS, Action.DELETE)
    assert (delete.allowed, delete.organisation_oid) == (True, OPH_ROOT_OID)


def test_a_role_covers_below_never_above_or_sideways(session):
    school = access_for(session, staff((w.A_SCHOOL, Role.WRITE)))
    assert school.hoks(MAIJA_HOKS, Action.WRITE).allowed
    assert school.organisation(w.A_TOIMIPISTE, Role.READ).allowed
    above = school.organisation(w.PROVIDER_A, Role.READ)
    assert (above.allowed, above.status, above.code) == (False, 403, "organisation_forbidden")
    sideways = school.hoks(VILLE_HOKS, Action.READ)
    assert (sideways.allowed, sideways.status, sideways.code) == (False, 404, "hoks_not_found")
    reader = access_for(session, staff((w.A_SCHOOL, Role.READ)))
    refused = reader.hoks(MAIJA_HOKS, Action.WRITE)
    assert (refused.status, refused.code, refused.organisation_oid) == (
        403,
        "hoks_role_missing",
        w.A_SCHOOL,
    )


def test_procured_training_gives_its_provider_read_and_nothing_more(session):
    carrying_out = access_for(session, staff((w.B_SCHOOL, Role.ADMIN)))
    read = carrying_out.hoks(JUHO_HOKS, Action.READ)
    assert (read.allowed, read.organisation_oid) == (True, w.B_SCHOOL)
    write = carrying_out.hoks(JUHO_HOKS, Action.WRITE)
    assert (write.allowed, write.status, write.code) == (False, 403, "hoks_role_missing")
    assert not carrying_out.hoks(JUHO_HOKS, Action.DELETE).allowed
    # Only the study right that contains B's training opens; A's other students stay unknown.
    assert carrying_out.hoks(MAIJA_HOKS, Action.READ).status == 404
    # A provider system never reads through procurement.
    client = SystemClientSubject("b", "b", w.PROVIDER_B, ClientAccess.WRITE)
    assert access_for(session, client).hoks(JUHO_HOKS, Action.READ).status == 404


def test_the_national_root_is_known_by_its_oid_not_by_an_empty_place(session):
    parentless = access_for(session, staff((w.PARENTLESS_SCHOOL, Role.READ)))
    assert parentless.hoks(PERTTI_HOKS, Action.READ).allowed
    assert parentless.hoks(MAIJA_HOKS, Action.READ).status == 404
    assert not parentless.organisation(w.A_SCHOOL, Role.READ).allowed
    assert not parentless.within(w.PARENTLESS_SCHOOL).every
    assert parentless.within(w.PARENTLESS_SCHOOL).oids == {w.PARENTLESS_SCHOOL}
    assert not parentless.hoks_scope().owned_by.every
    assert not parentless.is_national_admin

    national = access_for(session, staff((OPH_ROOT_OID, Role.ADMIN)))
    assert national.is_national_admin
    assert national.hoks(PERTTI_HOKS, Action.DELETE).allowed
    assert national.hoks_scope().owned_by.every
    assert not access_for(session, staff((w.PROVIDER_A, Role.ADMIN))).is_national_admin


def test_a_provider_system_reaches_its_organisation_and_below(session):
    reader = access_for(session, SystemClientSubject("a", "a", w.PROVIDER_A, ClientAccess.READ))
    read = reader.hoks(MAIJA_HOKS, Action.READ)
    assert (read.allowed, read.role, read.organisation_oid) == (True, "read", w.PROVIDER_A)
    assert reader.hoks(MAIJA_HOKS, Action.WRITE).status == 403
    assert reader.hoks(VILLE_HOKS, Action.READ).status == 404
    school = SystemClientSubject("s", "s", w.A_TOIMIPISTE, ClientAccess.WRITE)
    assert access_for(session, school).hoks(MAIJA_HOKS, Action.READ).status == 404


def test_creating_for_a_missing_and_a_foreign_study_right_is_refused_alike(session):
    writer = access_for(session, SystemClientSubject("b", "b", w.PROVIDER_B, ClientAccess.WRITE))
    foreign = writer.create_hoks(MAIJA_HOKS.study_right_oid, MAIJA_HOKS)
    missing = writer.create_hoks("1.2.246.562.15.99999999990", None)
    assert (foreign.status, foreign.code) == (missing.status, missing.code)
    assert (foreign.status, foreign.code) == (403, "study_right_forbidden")
    assert writer.create_hoks(VILLE_HOKS.study_right_oid, VILLE_HOKS).allowed


def test_a_student_reaches_their_own_data_only(session):
    ville = access_for(session, StudentSubject(w.VILLE, "Ville"))
    assert ville.own_data(w.VILLE).allowed
    assert ville.own_data(w.VILLE).role == "student"
    assert ville.own_data(w.MAIJA).code == "not_own_data"
    assert ville.own_data(w.MAIJA).status == 403
    assert ville.hoks(VILLE_HOKS, Action.READ).allowed
    # A HOKS filed under a merged duplicate of the student is theirs too.
    duplicate = Ownership.of(VILLE_HOKS.study_right_oid, w.B_SCHOOL, w.PROVIDER_B, VILLE_DUPLICATE)
    assert ville.hoks(duplicate, Action.READ).allowed
    assert ville.hoks(VILLE_HOKS, Action.WRITE).status == 403
    assert ville.hoks(MAIJA_HOKS, Action.READ).status == 404
    assert ville.hoks_scope().oppija_oids == {w.VILLE, VILLE_DUPLICATE}
    # Nobody else passes the own-data check, staff included.
    assert access_for(session, staff((OPH_ROOT_OID, Role.ADMIN))).own_data(w.VILLE).status == 403


def test_the_instructors_window_ends_exactly_at_its_edges(session):
    today = date(2026, 3, 15)
    window = VisibilityWindow(today, days_before=14, days_after=30)
    assert window.shows(today + timedelta(days=14), today + timedelta(days=40))
    assert not window.shows(today + timedelta(days=15), today + timedelta(days=40))
    assert window.shows(today - timedelta(days=60), today - timedelta(days=30))
    assert not window.shows(today - timedelta(days=60), today - timedelta(days=31))
    assert window.visible_until(today) == today + timedelta(days=30)

    email = "ohjaaja@example.fi"
    instructor = access_for(
        session, WorkplaceInstructorSubject(email, "session", datetime.now(UTC))
    )
    current = Period(email, today - timedelta(days=1), today + timedelta(days=1))
    assert instructor.period(current, window).allowed
    someone_elses = Period("toinen@example.fi", current.alku, current.loppu)
    assert instructor.period(someone_elses, window).status == 404
    assert instructor.hoks(MAIJA_HOKS, Action.READ).status == 404
    scope = instructor.period_scope(window)
    assert scope is not None
    assert (scope.instructor_email, scope.starts_by, scope.ends_from) == (
        email,
        today + timedelta(days=14),
        today - timedelta(days=30),
    )
    assert access_for(session, staff((OPH_ROOT_OID, Role.ADMIN))).period_scope(window) is None
