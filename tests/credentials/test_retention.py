"""A revoked credential's row after its retention: `ehoks maintenance purge` leaves it only what
its status bit needs. Before the period nothing changes; after it the token, the student and the
plan are gone, the status list still sets the bit and checking the credential still says
"revoked"; a second purge changes nothing; a credential not revoked is never touched."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import jwt
import pytest
from sqlalchemy import select

from ehoks.audit.models import AuditEvent
from ehoks.credentials import status
from ehoks.credentials.models import IssuedCredential
from ehoks.kit import retention
from tests.credentials.test_credentials import HTML, _issue
from tests.people.conftest import MAIJA
from tests.support.cli import ehoks

HELSINKI = ZoneInfo("Europe/Helsinki")


def _purge(database_url: str, **settings: str):
    result = ehoks("maintenance", "purge", env={"EHOKS_DATABASE_URL": database_url, **settings})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _row(session_factory, credential_id: str) -> IssuedCredential:
    with session_factory() as session:
        row = session.scalar(
            select(IssuedCredential).where(IssuedCredential.credential_id == credential_id)
        )
        assert row is not None
        session.expunge(row)
        return row


def _bit_in_the_published_list(http, token: str) -> bool:
    entry = jwt.decode(token, options={"verify_signature": False})["credentialStatus"]
    listed = http.get(entry["statusListCredential"])
    assert listed.status_code == 200
    encoded = jwt.decode(listed.text, options={"verify_signature": False})
    return status.is_set(encoded["credentialSubject"]["encodedList"], int(entry["statusListIndex"]))


def _removals(session_factory) -> list[AuditEvent]:
    with session_factory() as session:
        return list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.operation == "retention.remove-credentials")
            )
        )


def test_a_revoked_credential_is_stripped_after_its_retention_and_still_checks_revoked(
    full_plan, student, http, session_factory, database_url
):
    hoks_id, _ = full_plan
    maija = student(MAIJA)
    summary = f"/ehoks/suunnittelu/{hoks_id}/osaamiskooste"
    kept_token = _issue(maija, hoks_id, "fi")
    revoked_token = _issue(maija, hoks_id, "en")
    kept_id, revoked_id = (
        jwt.decode(t, options={"verify_signature": False})["id"]
        for t in (kept_token, revoked_token)
    )
    uuid = revoked_id.removeprefix("urn:uuid:")
    answer = maija.http.post(
        f"{summary}/todisteet/{uuid}/peru", data={"lang": "en"}, headers=maija.headers
    )
    assert answer.status_code == 303
    revoked_at = _row(session_factory, revoked_id).revoked_at
    assert revoked_at is not None
    day = revoked_at.astimezone(HELSINKI).date() + timedelta(days=30)
    page = maija.http.get(f"{summary}?lang=en", headers={**maija.headers, **HTML}).text
    assert f"Removed on {day.day} {day:%B} {day.year}" in page
    assert page.count("Removed on") == 1  # the valid one has no such day

    # Within the period (the default 30 days): nothing changes.
    assert ", 0 revoked credential(s)" in _purge(database_url)
    assert _row(session_factory, revoked_id).token == revoked_token

    # The period has passed: 31 days since the revocation.
    with session_factory() as session:
        row = session.scalar(
            select(IssuedCredential).where(IssuedCredential.credential_id == revoked_id)
        )
        assert row is not None
        row.revoked_at = revoked_at - timedelta(days=31)
        session.commit()
    assert ", 1 revoked credential(s)" in _purge(database_url)
    stripped = _row(session_factory, revoked_id)
    assert (stripped.token, stripped.oppija_oid, stripped.hoks_id) == (None, None, None)
    assert stripped.revoked_at == revoked_at - timedelta(days=31)
    assert (stripped.lang, stripped.issued_at is not None, bool(stripped.kid)) == ("en", True, True)
    untouched = _row(session_factory, kept_id)
    assert (untouched.token, untouched.oppija_oid, untouched.hoks_id) == (
        kept_token,
        MAIJA,
        hoks_id,
    )
    assert untouched.revoked_at is None

    # The status list still says revoked; the check page too, and the valid one still verifies.
    assert _bit_in_the_published_list(http, revoked_token) is True
    assert _bit_in_the_published_list(http, kept_token) is False
    checked = http.post("/tarkista", data={"todiste": revoked_token, "lang": "en"}, headers=HTML)
    assert checked.status_code == 200
    assert "The credential has been revoked" in checked.text
    valid = http.post("/tarkista", data={"todiste": kept_token, "lang": "en"}, headers=HTML)
    assert "Authentic, unaltered and not revoked" in valid.text

    # The student's page lists only the valid one; the stripped one cannot be downloaded.
    page = maija.http.get(f"{summary}?lang=en", headers={**maija.headers, **HTML}).text
    listed = re.findall(rf"{summary}/todisteet/([0-9a-f-]{{36}})\"", page)
    assert listed == [kept_id.removeprefix("urn:uuid:")]
    gone = maija.http.get(f"{summary}/todisteet/{uuid}", headers=maija.headers)
    assert gone.status_code == 404

    # The removal is in the audit log, as the operator's, about the plan and its student.
    audited = _removals(session_factory)
    assert [(e.subject_kind, e.hoks_id, e.oppija_oid) for e in audited] == [
        ("operator", hoks_id, MAIJA)
    ]
    assert audited[0].details["credentials"] == [revoked_id]

    # Again: nothing left to do, nothing changes.
    assert ", 0 revoked credential(s)" in _purge(database_url)
    assert _row(session_factory, kept_id).token == kept_token
    assert len(_removals(session_factory)) == 1


def test_no_retention_strips_at_the_next_purge(full_plan, student, session_factory, database_url):
    hoks_id, _ = full_plan
    maija = student(MAIJA)
    token = _issue(maija, hoks_id)
    credential_id = jwt.decode(token, options={"verify_signature": False})["id"]
    summary = f"/ehoks/suunnittelu/{hoks_id}/osaamiskooste"
    uuid = credential_id.removeprefix("urn:uuid:")
    assert ", 0 revoked credential(s)" in _purge(database_url, EHOKS_CREDENTIAL_RETENTION_DAYS="0")
    maija.http.post(f"{summary}/todisteet/{uuid}/peru", data={"lang": "en"}, headers=maija.headers)
    out = _purge(database_url, EHOKS_CREDENTIAL_RETENTION_DAYS="0")
    assert ", 1 revoked credential(s)" in out
    assert _row(session_factory, credential_id).token is None


@pytest.mark.parametrize(
    ("ended", "days", "today", "due"),
    [
        # 22.30 UTC is past midnight in Helsinki: its day is the next one, not UTC's.
        (datetime(2026, 12, 7, 22, 30, tzinfo=UTC), 30, date(2027, 1, 7), True),
        (datetime(2026, 12, 7, 22, 30, tzinfo=UTC), 30, date(2027, 1, 6), False),
        (datetime(2026, 12, 7, 21, 30, tzinfo=UTC), 30, date(2027, 1, 5), False),
        (datetime(2026, 12, 7, 21, 30, tzinfo=UTC), 30, date(2027, 1, 6), True),
        (datetime(2026, 12, 7, 12, 0, tzinfo=UTC), 0, date(2026, 12, 7), True),
        (datetime(2026, 12, 7, 12, 0, tzinfo=UTC), 0, date(2026, 12, 6), False),
    ],
)
def test_the_day_shown_is_the_day_the_purge_takes_it(ended, days, today, due):
    shown = retention.removal_day(retention.local_day(ended, HELSINKI), days)
    assert (shown <= today) is due
    assert (ended < retention.due_before(today, days, HELSINKI)) is due


def test_many_due_credentials_go_in_batches_and_the_rest_stay(session_factory, database_url):
    now = datetime.now(UTC)
    due = retention.BATCH + 20  # more than one batch
    with session_factory() as session:
        for n in range(due + 2):
            session.add(
                IssuedCredential(
                    credential_id=f"urn:uuid:00000000-0000-4000-8000-{n:012d}",
                    hoks_id=1000 + n % 7,  # seven plans
                    oppija_oid=f"1.2.246.562.24.{n % 7:011d}",
                    lang="fi",
                    kid="k",
                    status_list=1,
                    status_index=n,
                    token=f"token-{n}",
                    issued_at=now - timedelta(days=90),
                    # The last two: one revoked yesterday, one never revoked.
                    revoked_at=(
                        now - timedelta(days=40 + n % 3)
                        if n < due
                        else (now - timedelta(days=1) if n == due else None)
                    ),
                )
            )
        session.commit()
    assert f", {due} revoked credential(s)" in _purge(database_url)
    with session_factory() as session:
        rows = session.scalars(select(IssuedCredential).order_by(IssuedCredential.status_index))
        kept = [(row.status_index, row.token) for row in rows if row.token is not None]
        revoked_bits = [
            row.status_index
            for row in session.scalars(select(IssuedCredential))
            if row.revoked_at is not None
        ]
    assert kept == [(due, f"token-{due}"), (due + 1, f"token-{due + 1}")]
    assert len(revoked_bits) == due + 1
    # Per batch, one record per plan: two batches of seven plans.
    assert len(_removals(session_factory)) == 14
    assert ", 0 revoked credential(s)" in _purge(database_url)
