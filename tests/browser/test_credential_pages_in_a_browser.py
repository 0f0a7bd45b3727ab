"""The competence summary and the credential check in Chromium, as a student and an employer use
them: accessible and fitting a phone; the pages are plain forms and links, no script."""

from __future__ import annotations

import re

from tests.browser.accessibility import check_page, watch
from tests.browser.test_student_pages_in_a_browser import sign_in_from_the_front_page
from tests.people.conftest import MAIJA, store_hoks
from tests.studentpages.conftest import full_document
from tests.support.api import load_registry


def test_a_student_makes_a_credential_and_an_employer_checks_it(
    phone, live_server, session_factory, tmp_path
):
    load_registry(session_factory)
    hoks_id = store_hoks(session_factory, full_document())
    base = live_server.base_url
    sign_in_from_the_front_page(phone, base, MAIJA)
    phone.goto(f"{base}/ehoks/suunnittelu/{hoks_id}?lang=en")
    phone.get_by_role("link", name="Competence summary for job search or changing schools").click()
    check_page(phone, "credentials-summary-en")
    phone.get_by_label("Language of the credential").select_option("sv")
    phone.get_by_role("button", name="Make a signed credential").click()
    check_page(phone, "credentials-summary-issued-en")
    with phone.expect_download() as download:
        phone.get_by_role("link", name=re.compile("Download the credential")).click()
    saved = tmp_path / "credential.jwt"
    download.value.save_as(saved)
    # An employer, without an account: the check page, the file uploaded.
    employer = phone.context.browser.new_context(locale="sv-SE")
    page = watch(employer.new_page())
    for lang in ("fi", "sv", "en"):
        page.goto(f"{base}/tarkista?lang={lang}")
        check_page(page, f"credentials-check-{lang}")
    page.set_input_files("#tiedosto", str(saved))
    page.get_by_role("button", name="Check the credential").click()
    check_page(page, "credentials-check-verified-en")
    assert "Authentic, unaltered and not revoked" in page.content()
    page.get_by_role("button", name="Check the credential").click()
    check_page(page, "credentials-check-empty-en")
    assert page.title().startswith("Error: ")
    employer.close()
