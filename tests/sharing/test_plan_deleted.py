"""A deleted plan's share links stop at the deletion, and a restore does not reopen them."""

from __future__ import annotations

from sqlalchemy import select

from ehoks.audit.models import AuditEvent
from ehoks.sharing.models import ShareLink
from tests.people.conftest import PROVIDER_A
from tests.sharing.conftest import HTML, MAIJA, link_address, make_link, sharing_page, text_of
from tests.staffpages.conftest import UI, post_form

PROVIDER_A_NAME = "Hämeenkylä Joint Authority for Education"


def test_a_deleted_plans_links_stop_and_stay_stopped_after_a_restore(
    student, full_plan, staff, session_factory, stranger
):
    hoks_id, _ = full_plan
    maija = student(MAIJA)
    path = link_address(make_link(maija, hoks_id, sisalto="summary"))
    withdrawn_first = link_address(make_link(maija, hoks_id, sisalto="prior"))
    assert stranger.get(path + "?lang=en", headers=HTML).status_code == 200
    with session_factory() as session:
        first = session.scalars(select(ShareLink).where(ShareLink.content == "prior")).one()
    maija.http.post(
        f"/ehoks/suunnittelu/{hoks_id}/jaot/{first.id}/peru",
        data={"csrf_token": maija.csrf, "lang": "en"},
        headers={"Cookie": maija.headers["Cookie"], **HTML},
    )

    deleter = staff((PROVIDER_A, "delete"))
    plan = f"{UI}/opiskelijat/{MAIJA}/hoks/{hoks_id}"
    assert post_form(deleter, plan + "/poista", {"lang": "en"}).status_code == 303

    closed = stranger.get(path + "?lang=en", headers=HTML)
    assert closed.status_code == 410
    assert "This link is no longer valid" in text_of(closed.text)
    assert "The plan it showed has been removed" in text_of(closed.text)
    # The link the student had withdrawn before still says so.
    assert "This link has been withdrawn" in stranger.get(withdrawn_first + "?lang=en").text
    with session_factory() as session:
        links = {link.id: link for link in session.scalars(select(ShareLink))}
        assert links[first.id].revoked_because is None
        (other,) = [link for key, link in links.items() if key != first.id]
        assert other.revoked_at is not None
        assert other.revoked_because == "plan_deleted"
        (record,) = session.scalars(
            select(AuditEvent).where(
                AuditEvent.operation == "share.revoke", AuditEvent.subject_kind == "staff"
            )
        ).all()
        assert record.hoks_id == hoks_id
        assert record.oppija_oid == MAIJA
        assert record.details == {"share_ids": [other.id], "reason": "plan_deleted"}
        # Part of the deleting request: its id, and the organisation and role it acted in.
        (deletion,) = session.scalars(
            select(AuditEvent).where(
                AuditEvent.hoks_id == hoks_id,
                AuditEvent.subject_kind == "staff",
                AuditEvent.request_id == record.request_id,
                AuditEvent.id != record.id,
            )
        ).all()
        assert (record.organisation_oid, record.role) == (PROVIDER_A, "delete")
        assert (deletion.organisation_oid, deletion.role) == (PROVIDER_A, "delete")

    restored = post_form(
        deleter, f"{UI}/poistetut/{hoks_id}/palauta", {"oppija_oid": MAIJA, "lang": "en"}
    )
    assert restored.status_code == 303
    again = stranger.get(path + "?lang=en", headers=HTML)
    assert again.status_code == 410
    assert "This link is no longer valid" in text_of(again.text)
    # The student's own read through the national API says why too.
    refused = maija.get(f"/jaot/jakolinkit/{other.id}")
    assert refused.status_code == 410
    assert refused.json()["code"] == "share_link_plan_deleted"
    listing = text_of(sharing_page(maija, hoks_id).text)
    assert listing.count("Withdrawn") >= 2
    seen = maija.http.get(
        f"/ehoks/suunnittelu/{hoks_id}/tapahtumat?lang=en", headers={**maija.headers, **HTML}
    )
    # The student's page names the deleter's organisation, as for the deletion itself.
    seen_text = text_of(seen.text)
    assert "Withdrew a share link: Staff of an education provider" not in seen_text
    for done in ("Removed the plan", "Withdrew a share link"):
        assert f"{done}: {PROVIDER_A_NAME} Staff of an education provider, role: removing" in (
            seen_text
        )
