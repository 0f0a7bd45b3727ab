"""A plan's page for staff, deleting it with a confirmation and restoring it; a read-only member
sees no control that changes anything and the routes refuse them."""

from __future__ import annotations

from tests.people.conftest import A_SCHOOL, B_SCHOOL, MAIJA, MATTI, PROVIDER_A
from tests.staffpages.conftest import UI, page, post_form, text_of


def plan_path(oppija_oid: str, hoks_id: int) -> str:
    return f"{UI}/opiskelijat/{oppija_oid}/hoks/{hoks_id}"


def test_the_plan_page_shows_the_plans_sections_and_identifiers(hoks, staff):
    reader = staff((A_SCHOOL, "read"))
    response = page(reader, plan_path(MAIJA, hoks["maija"]), params={"lang": "en"})
    assert response.status_code == 200, response.text
    words = text_of(response)
    assert "Maija Liisa Virtanen" in words
    assert "1.2.246.562.15.10000000009" in words  # the study right OID
    assert "Identifiers" in words
    assert 'id="study"' in response.text  # the student's sections, from planview
    # Read only: nothing that changes the plan.
    assert "/muokkaa" not in response.text
    assert "/poista" not in response.text


def test_a_writer_gets_the_edit_link_and_a_deleter_the_delete_link(hoks, staff):
    writer = page(staff((A_SCHOOL, "write")), plan_path(MAIJA, hoks["maija"]))
    assert f"{plan_path(MAIJA, hoks['maija'])}/muokkaa" in writer.text
    assert "/poista" not in writer.text
    deleter = page(staff((A_SCHOOL, "delete")), plan_path(MAIJA, hoks["maija"]))
    assert f"{plan_path(MAIJA, hoks['maija'])}/poista" in deleter.text
    assert "/muokkaa" not in deleter.text


def test_another_providers_member_and_a_wrong_student_get_not_found(hoks, staff):
    other = staff((B_SCHOOL, "admin"))
    assert page(other, plan_path(MAIJA, hoks["maija"])).status_code == 404
    assert page(other, plan_path(MAIJA, hoks["maija"]) + "/poista").status_code == 404
    reader = staff((A_SCHOOL, "read"))
    assert page(reader, plan_path(MATTI, hoks["maija"])).status_code == 404


def test_a_read_only_member_is_refused_deleting_and_restoring(hoks, staff):
    reader = staff((A_SCHOOL, "write"))
    assert page(reader, plan_path(MAIJA, hoks["maija"]) + "/poista").status_code == 403
    refused = post_form(reader, plan_path(MAIJA, hoks["maija"]) + "/poista", {})
    assert refused.status_code == 403
    assert page(reader, f"{UI}/poistetut").status_code == 403
    restore = post_form(reader, f"{UI}/poistetut/{hoks['maija']}/palauta", {"oppija_oid": MAIJA})
    assert restore.status_code == 403
    assert page(reader, plan_path(MAIJA, hoks["maija"])).status_code == 200  # still there


def test_delete_after_confirmation_and_restore_from_the_deleted_plans(hoks, staff):
    deleter = staff((PROVIDER_A, "delete"))
    path = plan_path(MAIJA, hoks["maija"])
    confirm = page(deleter, path + "/poista", params={"lang": "en"})
    assert confirm.status_code == 200
    words = text_of(confirm)
    assert "Delete this plan?" in words
    assert "Maija Liisa Virtanen" in words
    assert "Hämeenkylän ammattiopisto" in words or "Hämeenkylä" in words
    assert str(hoks["maija"]) in words

    deleted = post_form(deleter, path + "/poista", {"lang": "en"})
    assert deleted.status_code == 303
    assert page(deleter, path).status_code == 404
    assert MAIJA not in page(deleter, f"{UI}/opiskelijat").text
    listing = page(deleter, deleted.headers["location"])
    assert listing.status_code == 200
    assert f"Plan {hoks['maija']} was deleted" in text_of(listing)
    assert f"/poistetut/{hoks['maija']}/palauta" in listing.text
    # Another provider's member with the delete role sees no trace of it.
    other = staff((B_SCHOOL, "delete"))
    assert f"/poistetut/{hoks['maija']}/palauta" not in page(other, f"{UI}/poistetut").text
    assert (
        post_form(other, f"{UI}/poistetut/{hoks['maija']}/palauta", {"oppija_oid": MAIJA})
    ).status_code == 404

    restored = post_form(
        deleter, f"{UI}/poistetut/{hoks['maija']}/palauta", {"oppija_oid": MAIJA, "lang": "en"}
    )
    assert restored.status_code == 303
    back = page(deleter, restored.headers["location"])
    assert back.status_code == 200
    assert "The plan was restored." in text_of(back)
    assert f"/poistetut/{hoks['maija']}/palauta" not in page(deleter, f"{UI}/poistetut").text
