"""The built-in survey page, `/palaute/{tunnus}` (fi/sv/en): a form, and a thank-you."""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from ehoks.config import Settings
from ehoks.feedback import survey
from ehoks.kit.errors import ApiError
from ehoks.kit.forms import read_form, same_origin
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
    if not same_origin(request, _public_base_url(request)):
        raise ApiError(403, "forbidden")
    form = await read_form(request, max_bytes=MAX_FORM_BYTES, max_fields=10)
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


def _public_base_url(request: Request) -> str:
    settings: Settings = request.app.state.settings
    return settings.public_base_url


router.include_router(pages)
