"""Signing in to the staff pages, choosing the organisation (kept in the session), signing out."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

from sqlalchemy import delete

from ehoks.people.models import StaffGrant
from tests.people.conftest import A_SCHOOL, PROVIDER_A, PROVIDER_B
from tests.staffpages.conftest import UI, page, post_form, text_of


def test_without_a_session_the_page_leads_to_the_staff_sign_in(http, registry):
    response = http.get(UI, headers={"Accept": "text/html"})
    assert response.status_code == 401
    assert f'href="/auth/staff/login?return_to={quote(UI, safe="")}"' in response.text


def test_a_single_grant_is_chosen_without_asking(registry, staff):
    reader = staff((A_SCHOOL, "read"))
    response = page(reader, UI)
    assert response.status_code == 200, response.text
    words = text_of(response)
    assert "Hämeenkylän ammattiopisto" in words
    assert f'href="{UI}/opiskelijat"' in response.text
    # Read only: no deleted plans, no administration, and the page says why nothing changes.
    assert f"{UI}/poistetut" not in response.text
    assert f"{UI}/yllapito" not in response.text


def test_with_several_grants_the_member_chooses_and_the_choice_is_kept(registry, staff):
    member = staff((A_SCHOOL, "write"), (PROVIDER_B, "admin"))
    first = page(member, f"{UI}/opiskelijat?nimi=virt")
    assert first.status_code == 303
    choose_at = first.headers["location"]
    assert choose_at.startswith(f"{UI}/organisaatio?return_to=")
    choice = page(member, choose_at)
    assert choice.status_code == 200
    assert "Pohjarannan Koulutus Oy" in choice.text
    assert "Hämeenkylän ammattiopisto" in choice.text

    refused = post_form(member, f"{UI}/organisaatio", {"organisation": PROVIDER_A, "lang": "en"})
    assert refused.status_code == 400
    assert "Choose one of your organisations." in refused.text
    assert 'href="#organisation"' in refused.text  # the error summary links to the field

    chosen = post_form(
        member,
        f"{UI}/organisaatio",
        {"organisation": PROVIDER_B, "return_to": f"{UI}/opiskelijat?nimi=virt"},
    )
    assert chosen.status_code == 303
    assert chosen.headers["location"] == f"{UI}/opiskelijat?nimi=virt"
    start = page(member, UI)
    assert start.status_code == 200
    assert "Pohjarannan Koulutus Oy" in text_of(start)
    assert f"{UI}/yllapito" in start.text  # admin there


def test_a_return_address_elsewhere_is_not_followed(registry, staff):
    member = staff((A_SCHOOL, "read"), (PROVIDER_B, "read"))
    chosen = post_form(
        member, f"{UI}/organisaatio", {"organisation": A_SCHOOL, "return_to": "//evil.example"}
    )
    assert chosen.status_code == 303
    assert chosen.headers["location"].startswith(UI)


def test_the_form_needs_the_session_csrf_token(registry, staff):
    member = staff((A_SCHOOL, "read"), (PROVIDER_B, "read"))
    headers = {"Cookie": member.headers["Cookie"], "Accept": "text/html"}
    form = {"organisation": A_SCHOOL}
    response = member.http.post(f"{UI}/organisaatio", data=form, headers=headers)
    assert response.status_code == 403


def test_signing_out_ends_the_session(registry, staff):
    reader = staff((A_SCHOOL, "read"))
    start = page(reader, UI)
    assert 'action="/auth/logout"' in start.text
    out = post_form(reader, "/auth/logout", {})
    assert out.status_code == 303
    assert page(reader, UI).status_code == 401


def test_a_providers_member_works_at_the_provider_or_in_one_of_its_schools(registry, staff):
    member = staff((PROVIDER_A, "read"))
    start = page(member, UI)
    assert start.status_code == 200  # grants on one organisation: chosen without asking
    assert "Hämeenkylän koulutuskuntayhtymä" in text_of(start)
    choice = page(member, f"{UI}/organisaatio")
    assert "Hämeenkylän ammattiopisto" in choice.text  # its schools are choices too
    assert "Hämeenkylän aikuisopisto" in choice.text
    assert "Pohjarannan" not in choice.text
    chosen = post_form(member, f"{UI}/organisaatio", {"organisation": A_SCHOOL})
    assert chosen.status_code == 303
    assert "Hämeenkylän ammattiopisto" in text_of(page(member, UI))


def test_a_changed_grant_changes_the_choices_at_once(registry, staff, session_factory):
    """The choices are remembered per set of grants (the schools below and the names follow
    from the tree): a grant given or taken away is another set, seen on the next page."""
    member = staff((A_SCHOOL, "read"))
    assert "Pohjarannan" not in page(member, f"{UI}/organisaatio").text
    with session_factory() as session:
        session.add(
            StaffGrant(
                staff_oid=member.staff_oid,
                organisation_oid=PROVIDER_B,
                role="read",
                source="manual",
                created_at=datetime.now(UTC),
                created_by="test",
            )
        )
        session.commit()
    assert "Pohjarannan Koulutus Oy" in page(member, f"{UI}/organisaatio").text
    with session_factory() as session:
        session.execute(
            delete(StaffGrant).where(
                StaffGrant.staff_oid == member.staff_oid, StaffGrant.organisation_oid == PROVIDER_B
            )
        )
        session.commit()
    choice = page(member, f"{UI}/organisaatio")
    assert "Pohjarannan" not in choice.text
    assert "Hämeenkylän ammattiopisto" in choice.text
