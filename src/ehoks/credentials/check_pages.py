"""`/tarkista`: anyone pastes or uploads a credential and sees whether it is authentic,
unaltered and not revoked, and what it says; or the reason why not (fi/sv/en, no JavaScript).

Each check is counted per address (`credential_checks_per_10_minutes`): a check verifies a
signature and signs a status list, work that is cheap once and not free a million times.
"""

from __future__ import annotations

from datetime import timedelta
from email import policy
from email.parser import BytesParser
from typing import Final
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from starlette.responses import Response

from ehoks.credentials import sources, verify
from ehoks.credentials.reading import OUTCOMES, Reading, reading_of
from ehoks.kit import throttle
from ehoks.kit.errors import ApiError
from ehoks.kit.http import client_address
from ehoks.kit.pages import FieldError, page_lang, page_router, render
from ehoks.kit.policy import public
from ehoks.kit.translations import translator
from ehoks.pipeline.run import handle_public
from ehoks.pipeline.unit import Unit

CHECK: Final = "/tarkista"
MAX_BODY: Final = 256_000
PASTED: Final = "todiste"
UPLOADED: Final = "tiedosto"

router = APIRouter()
pages = page_router(sign_in="/")
CheckPage = public("anyone checks a credential they hold; shows only what it says itself")


@pages.get(CHECK, summary="Check a credential", dependencies=[CheckPage])
async def check_form(request: Request) -> Response:
    """The form: paste the credential or choose its file."""
    return render(request, "credentials/check.html", {"verdict": None, "pasted": ""})


@pages.post(CHECK, summary="The result of checking a credential", dependencies=[CheckPage])
async def check_result(request: Request) -> Response:
    """Whether the credential is authentic, unaltered and not revoked, and what it says."""
    fields = await _fields(request)
    lang = page_lang(request, fields.get("lang"))
    token = fields.get(UPLOADED, "").strip() or fields.get(PASTED, "").strip()
    if not token:
        message = translator(lang).gettext("Paste a credential or choose its file.")
        refused = {"verdict": None, "pasted": "", "errors": [FieldError(PASTED, message)]}
        return render(request, "credentials/check.html", refused, status_code=400, lang=lang)
    address = client_address(request)

    def work(unit: Unit) -> tuple[verify.Verdict, Reading | None]:
        limit = _limit(unit.settings.credential_checks_per_10_minutes)
        throttle.refuse_if_over(unit.session, [(limit, address)], unit.now)
        throttle.count(unit.session, limit, address, unit.now)
        verdict = verify.verify(
            token,
            sources.LocalKeys(unit.session, unit.settings),
            sources.LocalLists(unit.session, unit.settings, unit.now),
            unit.now,
        )
        return verdict, reading_of(verdict)

    verdict, reading = await handle_public(request, work)
    values: dict[str, object] = {
        "verdict": verdict,
        "outcome": translator(lang).gettext(OUTCOMES[verdict.reason]),
        "reading": reading,
        "pasted": fields.get(PASTED, "")[: verify.MAX_TOKEN_CHARS],
    }
    return render(request, "credentials/check.html", values, lang=lang)


def _limit(attempts: int) -> throttle.Limit:
    return throttle.Limit("credential-checks", attempts, timedelta(minutes=10))


async def _fields(request: Request) -> dict[str, str]:
    """The form's fields, from a plain form or a file upload (multipart), at most MAX_BODY."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise ApiError(413, "body_too_large", params={"limit": MAX_BODY})
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise ApiError(413, "body_too_large", params={"limit": MAX_BODY})
    content_type = request.headers.get("content-type", "")
    media = content_type.split(";", 1)[0].strip().lower()
    if media == "multipart/form-data":
        return _multipart(content_type, body)
    try:
        parsed = parse_qs(body.decode("utf-8"), max_num_fields=10)
    except ValueError:
        raise ApiError(400, "invalid_form") from None
    return {key: values[-1] for key, values in parsed.items() if values}


def _multipart(content_type: str, body: bytes) -> dict[str, str]:
    """A multipart form read with the standard library's MIME parser (the service does not
    depend on python-multipart); a file's content is read as UTF-8 text."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise ApiError(400, "invalid_form")
    fields: dict[str, str] = {}
    for part in list(message.iter_parts())[:10]:
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(payload, bytes):
            fields[name] = payload.decode("utf-8", "replace")
    return fields


router.include_router(pages)
