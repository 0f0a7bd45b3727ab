"""Ended share links after their retention: `ehoks maintenance purge` leaves each only what still
answers its holder (withdrawn, ended) and names it in the audit log. Before the period nothing
changes; after it the plan, the student, the label and the unit are gone; the records of its
opens stay; a second purge changes nothing; a live link is never touched."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ehoks.audit.models import AuditEvent
from ehoks.kit.db.base import utcnow
from ehoks.sharing.models import ShareLink
from tests.sharing.conftest import (
    API,
    HTML,
    MAIJA,
    link_address,
    make_link,
    sharing_page,
    stored_document,
    text_of,
)
from tests.support.cli import ehoks

HELSINKI = ZoneInfo("Europe/Helsinki")


def _purge(database_url: str) -> str:
    result = ehoks("maintenance", "purge", env={"EHOKS_DATABASE_URL": database_url})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _links(session_factory) -> dict[str, ShareLink]:
    """Every link by its id."""
    with session_factory() as session:
        rows = session.scalars(select(ShareLink)).all()
        session.expunge_all()
    return {row.id: row for row in rows}


def _audited(session_factory, operation: str) -> list[AuditEvent]:
    with session_factory() as session:
        return list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.operation == operation)
                .order_by(AuditEvent.occurred_at, AuditEvent.id)
            )
        )


def _english(day: date) -> str:
    return f"{day.day} {day:%B} {day.year}"


def _arrange(maija, hoks_id: int, session_factory, stranger) -> tuple[dict, dict, date]:
    """Three links: "Employer W" opened once then withdrawn, "School E" whose last day was
    yesterday, "Employer L" open. Their ids and addresses by label, and today."""
    unit = stored_document(session_factory, hoks_id)["hankittavat-ammat-tutkinnon-osat"][0]
    paths = {
        label: link_address(make_link(maija, hoks_id, sisalto=what, kenelle=label))
        for label, what in [
            ("Employer W", f"unit:{unit['module-id']}"),
            ("School E", "summary"),
            ("Employer L", "prior"),
        ]
    }
    ids = {row.label: row.id for row in _links(session_factory).values()}
    assert stranger.get(paths["Employer W"], headers=HTML).status_code == 200
    withdrawn = maija.http.post(
        f"/ehoks/suunnittelu/{hoks_id}/jaot/{ids['Employer W']}/peru",
        data={"csrf_token": maija.csrf, "lang": "en"},
        headers={"Cookie": maija.headers["Cookie"], **HTML},
    )
    assert withdrawn.status_code == 303
    today = utcnow().astimezone(HELSINKI).date()
    with session_factory() as session:
        ended = session.get(ShareLink, ids["School E"])
        assert ended is not None
        ended.valid_from, ended.valid_to = today - timedelta(days=10), today - timedelta(days=1)
        session.commit()
    return ids, paths, today


def _let_the_period_pass(session_factory, ids: dict, today: date) -> None:
    """31 days since the withdrawal, and since the other's last day."""
    with session_factory() as session:
        gone = session.get(ShareLink, ids["Employer W"])
        ended = session.get(ShareLink, ids["School E"])
        assert gone is not None
        assert gone.revoked_at is not None
        assert ended is not None
        gone.revoked_at -= timedelta(days=31)
        ended.valid_from, ended.valid_to = today - timedelta(days=40), today - timedelta(days=31)
        session.commit()


def _check_the_audit_log(session_factory, maija, hoks_id: int, ids: dict) -> None:
    """The removal as the operator's, about the plan; the records of the opens as they were."""
    removals = _audited(session_factory, "retention.remove-share-links")
    assert [(e.subject_kind, e.hoks_id, e.oppija_oid) for e in removals] == [
        ("operator", hoks_id, MAIJA)
    ]
    assert sorted(removals[0].details["share_ids"]) == sorted([ids["Employer W"], ids["School E"]])
    opens = [e for e in _audited(session_factory, "share.open") if e.hoks_id == hoks_id]
    assert [(e.outcome, e.details["share_label"]) for e in opens] == [
        ("success", "Employer W"),
        ("success", "Employer L"),
    ]
    seen = maija.http.get(
        f"/ehoks/suunnittelu/{hoks_id}/tapahtumat?lang=en", headers={**maija.headers, **HTML}
    )
    seen_text = text_of(seen.text)
    removed = "Removed ended share links that were no longer needed: The maintenance of eHOKS"
    assert removed in seen_text
    assert "The link was made for: Employer W" in seen_text


def test_ended_links_are_stripped_after_their_retention_and_still_say_they_ended(
    student, full_plan, session_factory, stranger, database_url
):
    hoks_id, _ = full_plan
    maija = student(MAIJA)
    ids, paths, today = _arrange(maija, hoks_id, session_factory, stranger)
    listing = text_of(sharing_page(maija, hoks_id).text).replace(" .", ".")
    assert f"Withdrawn. Removed on {_english(today + timedelta(days=30))}" in listing
    assert f"Ended. Removed on {_english(today + timedelta(days=30))}" in listing
    assert listing.count("Removed on") == 2  # the open link has no such day

    # Within the period: nothing changes.
    assert _purge(database_url).endswith(", 0 ended share link(s)\n")
    assert {row.label for row in _links(session_factory).values()} == set(ids)

    _let_the_period_pass(session_factory, ids, today)
    assert _purge(database_url).endswith(", 2 ended share link(s)\n")
    rows = _links(session_factory)
    for label in ("Employer W", "School E"):
        row = rows[ids[label]]
        assert (row.hoks_id, row.oppija_oid, row.label) == (None, None, "")
        assert (row.unit_module_id, row.unit_type) == (None, None)
        assert row.secret_hash
    assert rows[ids["Employer W"]].open_count == 1
    assert rows[ids["Employer W"]].revoked_at is not None
    live = rows[ids["Employer L"]]
    assert (live.hoks_id, live.oppija_oid, live.label) == (hoks_id, MAIJA, "Employer L")

    # Their holders are still told they ended (not counted as guesses); the live one opens.
    closed = stranger.get(paths["Employer W"] + "?lang=en", headers=HTML)
    assert closed.status_code == 410
    assert "This link has been withdrawn" in closed.text
    expired = stranger.get(paths["School E"] + "?lang=en", headers=HTML)
    assert expired.status_code == 410
    assert "This link has ended" in expired.text
    assert stranger.get(paths["Employer L"], headers=HTML).status_code == 200

    # The student's list and the national route know only the live one now.
    listing = text_of(sharing_page(maija, hoks_id).text)
    assert "For: Employer L" in listing
    assert "Employer W" not in listing
    assert "School E" not in listing
    national = maija.http.get(f"{API}/jakolinkit/{ids['School E']}", headers=maija.headers)
    assert national.status_code == 404
    _check_the_audit_log(session_factory, maija, hoks_id, ids)

    # Again: nothing is due, nothing changes.
    assert _purge(database_url).endswith(", 0 ended share link(s)\n")
    assert len(_audited(session_factory, "retention.remove-share-links")) == 1
    assert _links(session_factory)[ids["Employer L"]].label == "Employer L"
