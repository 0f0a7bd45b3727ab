"""Administration pages: staff grants and system clients of the chosen organisation, for its
administrators only, within their reach."""

from __future__ import annotations

import re

from sqlalchemy import select

from ehoks.audit.models import AuditEvent
from ehoks.client.models import SystemClient
from ehoks.people.models import StaffGrant
from tests.people.conftest import A_SCHOOL, A_SCHOOL_2, B_SCHOOL, PROVIDER_A
from tests.staffpages.conftest import UI, page, post_form, text_of

ADMIN = f"{UI}/yllapito"
NEW_STAFF = "1.2.246.562.24.55555555555"


def test_only_administrators_see_administration(registry, staff):
    for role in ("read", "write", "delete"):
        member = staff((A_SCHOOL, role))
        assert page(member, ADMIN).status_code == 403
        assert "/yllapito" not in page(member, UI).text
    assert page(staff((A_SCHOOL, "admin")), ADMIN).status_code == 200


def test_an_administrator_gives_and_takes_away_a_role_within_their_reach(
    registry, staff, session_factory
):
    administrator = staff((PROVIDER_A, "admin"))
    given = post_form(
        administrator,
        f"{ADMIN}/oikeudet",
        {"staff_oid": NEW_STAFF, "name": "Uusi Ope", "organisation": A_SCHOOL, "role": "write"},
    )
    assert given.status_code == 303
    listing = page(administrator, ADMIN, params={"lang": "en"})
    assert NEW_STAFF in listing.text
    assert "Uusi Ope" in text_of(listing)
    with session_factory() as session:
        given_rows = session.execute(
            select(StaffGrant.role, StaffGrant.created_by).where(StaffGrant.staff_oid == NEW_STAFF)
        ).all()
        # The grant names the administrator who gave it, not the command line.
        assert [tuple(row) for row in given_rows] == [("write", administrator.staff_oid)]
        audited = session.execute(
            select(AuditEvent.subject_kind, AuditEvent.subject_id, AuditEvent.outcome).where(
                AuditEvent.operation == "grant-role"
            )
        ).all()
        # One record, of the administrator's request; none as if an operator had run the CLI.
        assert [tuple(row) for row in audited] == [("staff", administrator.staff_oid, "success")]

    # Not above their reach, and not at another provider.
    school_admin = staff((A_SCHOOL, "admin"))
    for organisation in (PROVIDER_A, B_SCHOOL):
        refused = post_form(
            school_admin,
            f"{ADMIN}/oikeudet",
            {"staff_oid": NEW_STAFF, "organisation": organisation, "role": "admin"},
        )
        assert refused.status_code == 403
    bad = post_form(
        administrator,
        f"{ADMIN}/oikeudet",
        {"staff_oid": "not-an-oid", "organisation": A_SCHOOL, "role": "write", "lang": "en"},
    )
    assert bad.status_code == 400
    assert 'href="#staff_oid"' in bad.text
    with session_factory() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.operation == "grant-role")
        ).all()
        [refusal] = [e for e in events if e.details.get("staff_oid") == "not-an-oid"]
        assert (refusal.outcome, refusal.details["status"], refusal.details["code"]) == (
            "failed",
            400,
            "grant_refused",
        )
        assert "not an OID" in refusal.details["reason"]
        assert (
            session.scalars(select(StaffGrant).where(StaffGrant.staff_oid == "not-an-oid")).all()
            == []
        )

    taken = post_form(
        administrator,
        f"{ADMIN}/oikeudet/poista",
        {"staff_oid": NEW_STAFF, "organisation": A_SCHOOL, "role": "write"},
    )
    assert taken.status_code == 303
    with session_factory() as session:
        assert (
            session.scalars(select(StaffGrant.role).where(StaffGrant.staff_oid == NEW_STAFF)).all()
            == []
        )


def test_a_new_client_secret_is_shown_once_and_a_client_can_be_revoked(
    registry, staff, session_factory
):
    administrator = staff((A_SCHOOL, "admin"))
    created = post_form(
        administrator,
        f"{ADMIN}/jarjestelmat",
        {"client_name": "Primus-integraatio", "client_organisation": A_SCHOOL, "access": "write"},
    )
    assert created.status_code == 200
    nameless = post_form(
        administrator,
        f"{ADMIN}/jarjestelmat",
        {"client_name": "", "client_organisation": A_SCHOOL, "access": "write"},
    )
    assert nameless.status_code == 400
    assert 'href="#client_name"' in nameless.text
    with session_factory() as session:
        outcomes = session.scalars(
            select(AuditEvent.outcome).where(AuditEvent.operation == "create-client")
        ).all()
        assert sorted(outcomes) == ["failed", "success"]  # the refusal is not a success
    client_id = re.search(r"<code>(ehoks-[^<]+)</code>", created.text)
    secret = re.findall(r"<code>([^<]+)</code>", created.text)[1]
    assert client_id is not None
    assert len(secret) >= 40
    again = page(administrator, ADMIN)
    assert "Primus-integraatio" in again.text
    assert secret not in again.text  # never shown again

    # Another school's administrator neither sees nor revokes it.
    other = staff((A_SCHOOL_2, "admin"))
    assert client_id.group(1) not in page(other, ADMIN).text
    path = f"{ADMIN}/jarjestelmat/{client_id.group(1)}/poista"
    assert post_form(other, path, {}).status_code == 404

    assert post_form(administrator, path, {}).status_code == 303
    with session_factory() as session:
        client = session.get(SystemClient, client_id.group(1))
        assert client is not None
        assert client.disabled_at is not None
