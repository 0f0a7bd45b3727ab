"""Staff grants: `ehoks users grant|revoke|list`, and the administrators' listing."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from ehoks.audit.models import AuditEvent
from ehoks.cli import main
from ehoks.config import get_settings
from ehoks.people.models import StaffGrant, StaffMember
from tests.people.conftest import A_SCHOOL, B_SCHOOL, PROVIDER_A, ROOT

STAFF_OID = "1.2.246.562.24.55555555555"


@pytest.fixture
def cli(database_url, registry, monkeypatch):
    monkeypatch.setenv("EHOKS_DATABASE_URL", database_url)
    get_settings.cache_clear()
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, ["users", *args])

    yield run
    get_settings.cache_clear()


def test_grant_list_revoke_with_audit(cli, session):
    granted = cli(
        "grant",
        "--staff",
        STAFF_OID,
        "--organisation",
        A_SCHOOL,
        "--role",
        "write",
        "--name",
        "Outi Opettaja",
    )
    assert granted.exit_code == 0, granted.output
    again = cli("grant", "--staff", STAFF_OID, "--organisation", A_SCHOOL, "--role", "write")
    assert again.exit_code == 0
    assert "nothing changed" in again.output
    member = session.get(StaffMember, STAFF_OID)
    assert member is not None
    assert member.name == "Outi Opettaja"
    [grant] = session.scalars(select(StaffGrant).where(StaffGrant.staff_oid == STAFF_OID)).all()
    assert (grant.organisation_oid, grant.role, grant.source, grant.created_by) == (
        A_SCHOOL,
        "write",
        "manual",
        "cli",
    )
    session.rollback()  # end the read, or SQLite keeps the CLI waiting

    listed = cli("list", "--organisation", A_SCHOOL, "--json")
    assert listed.exit_code == 0, listed.output
    [row] = json.loads(listed.output)
    assert row["staff-oid"] == STAFF_OID
    assert row["role"] == "write"
    assert row["inherited"] is False
    assert "Outi Opettaja" in cli("list").output
    assert json.loads(cli("list", "--organisation", B_SCHOOL, "--json").output) == []

    revoked = cli("revoke", "--staff", STAFF_OID, "--organisation", A_SCHOOL, "--role", "write")
    assert revoked.exit_code == 0, revoked.output
    session.expire_all()
    assert session.scalars(select(StaffGrant)).all() == []

    events = session.scalars(
        select(AuditEvent).where(AuditEvent.subject_kind == "operator").order_by(AuditEvent.id)
    ).all()
    assert [(e.operation, e.organisation_oid, e.role, e.details["staff-oid"]) for e in events] == [
        ("grant-role", A_SCHOOL, "write", STAFF_OID),
        ("revoke-role", A_SCHOOL, "write", STAFF_OID),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            (
                "grant",
                "--staff",
                STAFF_OID,
                "--organisation",
                "1.2.246.562.10.99999999999",
                "--role",
                "read",
            ),
            "not in the organisation registry",
        ),
        (
            ("grant", "--staff", "nobody", "--organisation", A_SCHOOL, "--role", "read"),
            "is not an OID",
        ),
        (
            ("revoke", "--staff", STAFF_OID, "--organisation", A_SCHOOL, "--role", "read"),
            "has no manual read grant",
        ),
        (("list", "--organisation", "1.2.246.562.10.99999999999"), "not in the organisation"),
    ],
)
def test_errors_are_one_line_on_stderr(cli, args, message):
    result = cli(*args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unknown_role_is_refused(cli):
    result = cli("grant", "--staff", STAFF_OID, "--organisation", A_SCHOOL, "--role", "owner")
    assert result.exit_code == 2  # click's usage error
    assert "Error: Invalid value for '--role': 'owner' is not one of" in result.stderr


def test_administrators_list_staff_of_their_organisation(hoks, staff):
    admin = staff((PROVIDER_A, "admin"))
    teacher = staff((A_SCHOOL, "read"), (A_SCHOOL, "write"))
    staff((B_SCHOOL, "admin"))
    national = staff((ROOT, "admin"))
    response = admin.get("/kayttajat", params={"organisation": A_SCHOOL})
    assert response.status_code == 200, response.text
    people = {p["oid"]: p for p in response.json()["data"]}
    assert set(people) == {admin.staff_oid, teacher.staff_oid, national.staff_oid}
    assert sorted(g["role"] for g in people[teacher.staff_oid]["grants"]) == ["read", "write"]
    assert people[admin.staff_oid]["grants"][0]["inherited"] is True
    assert people[teacher.staff_oid]["grants"][0]["inherited"] is False

    assert teacher.get("/kayttajat", params={"organisation": A_SCHOOL}).status_code == 403
    assert admin.get("/kayttajat", params={"organisation": B_SCHOOL}).status_code == 403
    assert national.get("/kayttajat", params={"organisation": B_SCHOOL}).status_code == 200
    unknown = admin.get("/kayttajat", params={"organisation": "1.2.246.562.10.99999999999"})
    assert unknown.status_code == 400
