"""Reading `application/x-www-form-urlencoded` bodies: small ones (sign-out, the development IdP)
by default, a whole plan (the staff plan form) with limits of its own.

The service does not depend on python-multipart.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import parse_qs, urlsplit

from fastapi import Request

from ehoks.kit.errors import ApiError

FORM_MEDIA_TYPE: Final = "application/x-www-form-urlencoded"
MAX_FORM_BYTES: Final = 16_384
MAX_FIELDS: Final = 50


def is_form(request: Request) -> bool:
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return media_type == FORM_MEDIA_TYPE


async def read_form(
    request: Request, *, max_bytes: int = MAX_FORM_BYTES, max_fields: int = MAX_FIELDS
) -> dict[str, str]:
    """The form's fields (the last value of a repeated one); {} when the body is not a form.

    Starlette caches the body, so a dependency and the route may both read it. A large form (a
    whole plan) names its own limits.
    """
    if not is_form(request):
        return {}
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise ApiError(413, "body_too_large", params={"limit": max_bytes})
    raw = await request.body()
    if len(raw) > max_bytes:
        raise ApiError(413, "body_too_large", params={"limit": max_bytes})
    try:
        parsed = parse_qs(
            raw.decode("utf-8"),
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=max_fields,
        )
    except ValueError:  # UnicodeDecodeError is a ValueError too
        raise ApiError(400, "invalid_form") from None
    return {name: values[-1] for name, values in parsed.items()}


def same_origin(request: Request, public_base_url: str) -> bool:
    """Whether a form post comes from the service's own pages (a login CSRF check).

    Browsers send Origin on a form post; one from another site, or the opaque "null" of a
    sandboxed or privacy-redirected page, is refused. A client that sends none is no browser.
    """
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    ours = urlsplit(public_base_url)
    return origin.rstrip("/") == f"{ours.scheme}://{ours.netloc}"
