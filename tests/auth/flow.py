"""Driving a sign-in through the development IdP the way a browser does."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx

STAFF_SESSION = "/ehoks-virkailija-backend/api/v1/virkailija/session"
STUDENT_SESSION = "/ehoks-oppija-backend/api/v1/oppija/session"
STAFF_OID = "1.2.246.562.24.98765432109"
ORG_A = "1.2.246.562.10.53642770753"
OPH_ROOT = "1.2.246.562.10.00000000001"
MATTI = "1.2.246.562.24.44651722625"
VILLE = "1.2.246.562.24.30124551023"
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


@dataclass
class Authorization:
    """The state of a sign-in after the IdP has issued a code."""

    authorize_params: dict[str, str]
    callback_url: str

    @property
    def code(self) -> str:
        return parse_qs(urlsplit(self.callback_url).query)["code"][0]


def start(browser: httpx.Client, audience: str, return_to: str = "/home") -> dict[str, str]:
    """Ask eHOKS to sign in; returns the authorization request's parameters."""
    response = browser.get(f"/auth/{audience}/login", params={"return_to": return_to})
    assert response.status_code == 302, response.text
    query = parse_qs(urlsplit(response.headers["location"]).query)
    return {name: values[0] for name, values in query.items()}


def pick(
    browser: httpx.Client, params: dict[str, str], persona: str, **fields: str
) -> Authorization:
    """Show the IdP's picker page and submit it with `persona`."""
    page = browser.get("/dev-idp/authorize", params=params)
    assert page.status_code == 200, page.text
    hidden = {name: html.unescape(value) for name, value in _HIDDEN.findall(page.text)}
    response = browser.post("/dev-idp/authorize", data={**hidden, "persona": persona, **fields})
    assert response.status_code == 302, response.text
    return Authorization(params, response.headers["location"])


def sign_in(browser: httpx.Client, audience: str, persona: str, **fields: str) -> httpx.Response:
    """The whole round trip; returns eHOKS's answer to the callback."""
    authorization = pick(browser, start(browser, audience), persona, **fields)
    return browser.get(authorization.callback_url)


def sign_in_staff(browser: httpx.Client, oid: str = STAFF_OID, grants: str = "") -> str:
    """Sign in as a staff member; returns the session's CSRF token."""
    response = sign_in(
        browser, "staff", "staff:", other_oid=oid, other_name="Veera Virkailija", grants=grants
    )
    assert response.status_code == 303, response.text
    session = browser.get(STAFF_SESSION)
    assert session.status_code == 200, session.text
    return str(session.json()["data"]["csrf-token"])
