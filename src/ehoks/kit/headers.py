"""Security headers on every response (OWASP Secure Headers).

* `Content-Security-Policy`: pages load only the service's own style sheets, scripts and
  images; no inline script or style, no frames around them, forms post only back here.
  Other responses (JSON, files) get the strictest policy, which also stops a browser from
  running anything a JSON body might be coaxed into looking like.
* `X-Content-Type-Options: nosniff`, and `Referrer-Policy: same-origin`, which keeps addresses
  holding a token (the instructors' sign-in links) from leaking to other sites while keeping
  the Origin header on the service's own form posts (their CSRF check reads it).
* `Strict-Transport-Security` when the request came over TLS (directly or, with `ehoks serve`'s
  trusted proxy headers, through a TLS-terminating proxy).
"""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import Scope

PAGE_POLICY: Final = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'{form_targets}; "
    "frame-ancestors 'none'; base-uri 'none'"
)
OTHER_POLICY: Final = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
HSTS: Final = "max-age=31536000; includeSubDomains"
ALWAYS: Final = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


def page_policy(public_base_url: str) -> str:
    """The pages' policy. Forms may post to the service's public address too, which differs
    from the address a request came to when a proxy stands in front of the service."""
    parts = urlsplit(public_base_url)
    origin = f" {parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    return PAGE_POLICY.format(form_targets=origin)


def add_security_headers(scope: Scope, headers: MutableHeaders) -> None:
    for name, value in ALWAYS.items():
        headers.setdefault(name, value)
    if headers.get("content-type", "").startswith("text/html"):
        headers.setdefault("Content-Security-Policy", page_policy(_public_base_url(scope)))
    else:
        headers.setdefault("Content-Security-Policy", OTHER_POLICY)
    if scope.get("scheme") == "https":
        headers.setdefault("Strict-Transport-Security", HSTS)


def _public_base_url(scope: Scope) -> str:
    app: Any = scope.get("app")
    settings = getattr(getattr(app, "state", None), "settings", None)
    return str(getattr(settings, "public_base_url", ""))
