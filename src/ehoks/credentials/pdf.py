"""The competence summary as a tagged PDF (PDF/UA-1), made by WeasyPrint from a template.

WeasyPrint needs the pango libraries of the operating system (`make install` installs them on
Debian). It is imported only here, when a PDF is asked for, so a machine without them still
serves everything else; the PDF route then answers with a page that says so (`PdfUnavailableError`).
"""

from __future__ import annotations

from typing import Any, Final

from ehoks.credentials.summary import CompetenceSummary
from ehoks.kit.assets import STATIC_DIR
from ehoks.kit.pages.render import render_template

STYLE_SHEET: Final = STATIC_DIR / "summary-pdf.css"


class PdfUnavailableError(RuntimeError):
    """WeasyPrint or the system libraries it needs are not installed."""


def summary_html(summary: CompetenceSummary) -> str:
    """The summary as the HTML document the PDF is made from (its own print layout)."""
    return render_template("credentials/summary_pdf.html", {"summary": summary}, summary.lang)


def summary_pdf(summary: CompetenceSummary) -> bytes:
    """The summary as PDF/UA-1: tagged, with the document's language and title set."""
    weasyprint = _weasyprint()
    document = weasyprint.HTML(string=summary_html(summary), url_fetcher=_fetch_nothing)
    style = weasyprint.CSS(filename=str(STYLE_SHEET), url_fetcher=_fetch_nothing)
    pdf: bytes = document.write_pdf(stylesheets=[style], pdf_variant="pdf/ua-1")
    return pdf


def _fetch_nothing(url: str, *_: object, **__: object) -> dict[str, Any]:
    """The summary needs no file or address of any kind: fetching one would be a bug (or an
    attempt to read the server's files), so every fetch is refused."""
    raise ValueError(f"the competence summary fetches nothing: {url}")


def _weasyprint() -> Any:  # the module, typed loosely: it is imported on demand
    try:
        import weasyprint  # type: ignore[import-untyped]  # noqa: PLC0415 - needs system libraries; loaded only for a PDF
    except (ImportError, OSError) as missing:  # OSError: pango's shared libraries not found
        raise PdfUnavailableError(str(missing)) from missing
    return weasyprint
