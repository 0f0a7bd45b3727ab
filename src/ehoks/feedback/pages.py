"""The built-in survey page, `/palaute/{tunnus}` (fi/sv/en): a form, and a thank-you."""

from __future__ import annotations

from typing import Annotated, Final
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from ehoks.config import Settings
from ehoks.feedback import survey
from ehoks.kit.errors import ApiError
from ehoks.kit.pages import FieldError, page_lang, page_router, render
from ehoks.kit.policy import public
from ehoks.kit.translations import translator
from ehoks.pipeline.run import handle_public

MAX_FORM_BYTES: Final = 8192
router = APIRouter(tags=["feedback survey"])
pages = page_router(sign_in="/")
SurveyLink = public("the survey link is its own credential; shows nothing about the student")
Tunnus = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9]+$")]


@pages.get("/palaute/{tunnus}", summary="A built-in survey", dependencies=[SurveyLink])
async def survey_page(request: Request, tunnus: Tunnus) -> Response:
    """The survey behind a built-in link: the form while it is open, otherwise why not."""
    found = await handle_public(
        request, lambda unit: survey.survey(unit.session, tunnus, unit.today)
    )
    return render(request, "feedback/survey.html", {"survey": found, "rating": None, "comment": ""})


@pages.post("/palaute/{tunnus}", summary="Answer a built-in survey", dependencies=[SurveyLink])
async def survey_answer(request: Request, tunnus: Tunnus) -> Response:
    """Take the answer (a rating of 1-5 and an optional comment) and thank."""
    if not _same_origin(request):
        raise ApiError(403, "forbidden")
    form = await _form(request)
    lang = page_lang(request, form.get("lang"))
    rating, comment = form.get("arvosana", ""), form.get("kommentti", "").strip()
    if rating not in survey.RATINGS or len(comment) > survey.MAX_COMMENT:
        found = await handle_public(
            request, lambda unit: survey.survey(unit.session, tunnus, unit.today)
        )
        gettext = translator(lang).gettext
        errors = (
            [FieldError("arvosana", gettext("Choose one of the five options."))]
            if rating not in survey.RATINGS
            else [FieldError("kommentti", gettext("The comment is too long."))]
        )
        values = {"survey": found, "rating": rating, "comment": comment, "errors": errors}
        return render(request, "feedback/survey.html", values, status_code=400, lang=lang)
    done = await handle_public(
        request,
        lambda unit: survey.answer(
            unit.session, tunnus, rating, comment, now=unit.now, today=unit.today
        ),
    )
    return render(
        request, "feedback/survey.html", {"survey": done, "rating": None, "comment": ""}, lang=lang
    )


async def _form(request: Request) -> dict[str, str]:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            raise ApiError(413, "body_too_large", params={"limit": MAX_FORM_BYTES})
        chunks.append(chunk)
    parsed = parse_qs(b"".join(chunks).decode("utf-8", "replace"), max_num_fields=10)
    return {key: values[0] for key, values in parsed.items() if values}


def _same_origin(request: Request) -> bool:
    """A browser's form post carries Origin: refuse one from another site."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    settings: Settings = request.app.state.settings
    ours = urlsplit(settings.public_base_url)
    return origin.rstrip("/") == f"{ours.scheme}://{ours.netloc}"


router.include_router(pages)
