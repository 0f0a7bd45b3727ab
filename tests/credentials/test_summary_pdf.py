"""The competence summary: a page and a PDF/UA file, in the language the student chooses."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from ehoks.credentials import pdf as pdf_module
from ehoks.credentials.pdf import PdfUnavailableError
from ehoks.kit.formatting import as_date
from ehoks.planview.progress import Status, unit_status
from tests.people.conftest import EETU, MAIJA
from tests.studentpages.conftest import parts_of

HTML = {"Accept": "text/html"}


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(page.extract_text() or "" for page in reader.pages)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_pdf_names_every_unit_reached_and_every_employer_in_the_chosen_language(
    full_plan, student
):
    hoks_id, document = full_plan
    maija = student(MAIJA)
    parts = parts_of(document)
    employers = {
        p["tyopaikalla-jarjestettava-koulutus"]["tyopaikan-nimi"]
        for p in parts["periods"]
        if "tyopaikalla-jarjestettava-koulutus" in p
    }
    assert employers
    for lang, notice in (
        ("fi", "virallinen tieto suoritetuista opinnoista on Koski"),
        ("sv", "officiella uppgifterna om avklarade studier finns i Koski"),
    ):
        page = maija.http.get(
            f"/ehoks/suunnittelu/{hoks_id}/osaamiskooste.pdf?kieli={lang}", headers=maija.headers
        )
        assert page.status_code == 200, page.text[:300]
        assert page.headers["content-type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(page.content))
        # PDF/UA: tagged, with the document's language and a title shown as the window title.
        catalog = reader.trailer["/Root"]
        assert bool(catalog["/MarkInfo"]["/Marked"])
        assert catalog["/Lang"] == lang
        assert "/StructTreeRoot" in catalog
        assert "pdfuaid" in reader.xmp_metadata.stream.get_data().decode()
        # The title, shown as the window's title, holds no soft hyphen of the page's heading.
        assert "\u00ad" not in str(reader.metadata.title), reader.metadata.title
        text = _squeeze(_pdf_text(page.content))
        assert notice in text
        for employer in employers:
            assert employer in text
        expected = _reached_units(document, maija, hoks_id, lang)
        assert expected
        for name in expected:
            assert _squeeze(name) in text, (lang, name)


def _reached_units(document, person, hoks_id, lang):
    """The names of the units the plan page shows as completed, plus the recognised ones, as
    the student's page shows them in `lang` (the page is the reference, not the PDF's code)."""
    page = person.http.get(
        f"/ehoks/suunnittelu/{hoks_id}/osaamiskooste?kieli={lang}&lang={lang}",
        headers={**person.headers, **HTML},
    )
    assert page.status_code == 200
    names = re.findall(r'<h4 class="summary-unit__name">([^<]+)</h4>', page.text)
    completed = [
        u
        for key in (
            "hankittavat-ammat-tutkinnon-osat",
            "hankittavat-paikalliset-tutkinnon-osat",
            "hankittavat-yhteiset-tutkinnon-osat",
        )
        for u in document.get(key, [])
        if unit_status(u, as_date("2026-12-07")) is Status.COMPLETED
    ]
    recognised = [
        u
        for key in (
            "aiemmin-hankitut-ammat-tutkinnon-osat",
            "aiemmin-hankitut-paikalliset-tutkinnon-osat",
            "aiemmin-hankitut-yhteiset-tutkinnon-osat",
        )
        for u in document.get(key, [])
    ]
    assert len(names) == len(completed) + len(recognised)
    return [n.replace("&amp;", "&") for n in names]


def test_another_students_plan_has_no_summary(full_plan, student):
    hoks_id, _ = full_plan
    eetu = student(EETU)
    for tail in ("", ".pdf"):
        page = eetu.http.get(
            f"/ehoks/suunnittelu/{hoks_id}/osaamiskooste{tail}", headers={**eetu.headers, **HTML}
        )
        assert page.status_code == 404
        assert "<h1>" in page.text


def test_without_weasyprint_the_pdf_route_says_so_on_a_page(full_plan, student, monkeypatch):
    hoks_id, _ = full_plan
    maija = student(MAIJA)

    def missing():
        raise PdfUnavailableError("cannot load library 'libpango-1.0-0'")

    # Stands in for a machine without pango: the import itself is what fails there.
    monkeypatch.setattr(pdf_module, "_weasyprint", missing)
    page = maija.http.get(
        f"/ehoks/suunnittelu/{hoks_id}/osaamiskooste.pdf?kieli=en&lang=en",
        headers={**maija.headers, **HTML},
    )
    assert page.status_code == 503
    assert "The PDF cannot be made on this server just now" in page.text
    assert "application/pdf" not in page.headers["content-type"]


@pytest.mark.parametrize("bad", ["de", "", "fi'"])
def test_an_unknown_language_is_a_clear_page(full_plan, student, bad):
    hoks_id, _ = full_plan
    maija = student(MAIJA)
    page = maija.http.get(
        f"/ehoks/suunnittelu/{hoks_id}/osaamiskooste.pdf?kieli={bad}&lang=en",
        headers={**maija.headers, **HTML},
    )
    assert page.status_code == 400
    assert "<h1>" in page.text
