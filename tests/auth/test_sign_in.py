"""Signing in end to end: eHOKS as relying party, the development IdP as provider, real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from ehoks.auth.models import OidcSignIn, WebSession
from ehoks.auth.oidc import s256
from ehoks.people.models import StaffGrant, StaffMember
from tests.auth.flow import (
    MATTI,
    OPH_ROOT,
    ORG_A,
    STAFF_OID,
    STAFF_SESSION,
    STUDENT_SESSION,
    VILLE,
    pick,
    sign_in,
    sign_in_staff,
    start,
)
from tests.support.api import load_registry

SCHOOL_A = "1.2.246.562.10.54453921329"


def test_login_redirects_to_the_provider_with_pkce_and_nonce(browser, auth_server):
    response = browser.get("/auth/staff/login", params={"return_to": "/x"})
    assert response.status_code == 302
    location = response.headers["location"]
    assert location.startswith(f"{auth_server.base_url}/dev-idp/authorize?")
    params = start(browser, "staff")
    assert params["response_type"] == "code"
    assert params["client_id"] == "ehoks-staff"
    assert params["redirect_uri"] == f"{auth_server.base_url}/auth/callback"
    assert params["scope"] == "openid"
    assert params["code_challenge_method"] == "S256"
    assert len(params["state"]) >= 32
    assert len(params["nonce"]) >= 32
    assert len(params["code_challenge"]) == 43


def test_discovery_document_names_the_dev_idp(browser, auth_server):
    document = browser.get("/dev-idp/.well-known/openid-configuration").json()
    assert document["issuer"] == f"{auth_server.base_url}/dev-idp"
    assert document["code_challenge_methods_supported"] == ["S256"]
    keys = browser.get("/dev-idp/jwks").json()["keys"]
    assert keys[0]["kty"] == "RSA"
    assert "d" not in keys[0]  # never the private part


def test_unknown_audience_is_not_found(browser):
    assert browser.get("/auth/admin/login").status_code == 404


def test_staff_sign_in_end_to_end(browser, session_factory, session):
    load_registry(session_factory)
    grants = f"write:{ORG_A} admin:{OPH_ROOT} bogus read:not-an-oid"
    response = sign_in(
        browser, "staff", "staff:", other_oid=STAFF_OID, other_name="Veera V", grants=grants
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/home"
    cookie = next(
        h for h in response.headers.get_list("set-cookie") if h.startswith("ehoks_session=")
    )
    assert "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower()
    assert "Secure" not in cookie  # the test server speaks plain HTTP (cookie_secure=False)

    body = browser.get(STAFF_SESSION).json()
    assert body["meta"] == {}
    data = body["data"]
    assert data["oidHenkilo"] == STAFF_OID
    assert data["nimi"] == "Veera V"
    assert data["isSuperuser"] is True
    assert data["csrf-token"]
    by_oid = {p["oid"]: p for p in data["organisation-privileges"]}
    assert by_oid[ORG_A]["privileges"] == ["read", "write", "update"]
    assert by_oid[ORG_A]["roles"] == ["write"]
    assert SCHOOL_A in by_oid[ORG_A]["child-organisations"]
    assert by_oid[OPH_ROOT]["privileges"] == ["read", "write", "update", "hoks_delete"]

    member = session.get(StaffMember, STAFF_OID)
    assert member is not None
    assert member.last_signed_in_at is not None
    stored = session.execute(
        select(StaffGrant.organisation_oid, StaffGrant.role, StaffGrant.source).where(
            StaffGrant.staff_oid == STAFF_OID
        )
    ).all()
    assert sorted(stored) == [(OPH_ROOT, "admin", "idp"), (ORG_A, "write", "idp")]


def test_idp_grants_are_replaced_at_every_sign_in(browser, other_browser, session):
    session.add(
        StaffGrant(
            staff_oid=STAFF_OID,
            organisation_oid=SCHOOL_A,
            role="read",
            source="manual",
            created_at=datetime.now(UTC),
            created_by="admin",
        )
    )
    session.commit()
    sign_in_staff(browser, grants=f"write:{ORG_A}")
    sign_in_staff(other_browser, grants="")
    sources = session.execute(
        select(StaffGrant.organisation_oid, StaffGrant.source).where(
            StaffGrant.staff_oid == STAFF_OID
        )
    ).all()
    session.commit()  # SQLite: every transaction holds the write lock (BEGIN IMMEDIATE)
    assert sources == [(SCHOOL_A, "manual")]
    privileges = other_browser.get(STAFF_SESSION).json()["data"]["organisation-privileges"]
    assert [p["oid"] for p in privileges] == [SCHOOL_A]
    assert other_browser.get(STAFF_SESSION).json()["data"]["isSuperuser"] is False


def test_sign_in_is_audited(browser, session):
    from ehoks.audit.models import AuditEvent

    sign_in_staff(browser)
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.operation == "session.sign_in")
    ).all()
    assert [(e.subject_kind, e.subject_id, e.outcome) for e in events] == [
        ("staff", STAFF_OID, "success")
    ]


def test_student_signs_in_by_henkilotunnus(browser, session_factory):
    load_registry(session_factory)
    response = sign_in(browser, "student", f"student:{MATTI}", identifier="hetu")
    assert response.status_code == 303, response.text
    data = browser.get(STUDENT_SESSION).json()["data"]
    assert data == [
        {
            "oid": MATTI,
            "first-name": "Matti Juhani",
            "surname": "Meikäläinen",
            "common-name": "Matti",
            "usingValtuudet": False,
            "csrf-token": data[0]["csrf-token"],
        }
    ]
    info = browser.get(f"{STUDENT_SESSION}/user-info").json()["data"]
    assert info[0]["oid"] == MATTI
    assert info[0]["surname"] == "Meikäläinen"
    # A student is not staff.
    assert browser.get(STAFF_SESSION).status_code == 403


def test_student_signs_in_by_oppija_oid(browser, session_factory):
    load_registry(session_factory)
    response = sign_in(browser, "student", f"student:{VILLE}", identifier="oid")
    assert response.status_code == 303, response.text
    assert browser.get(STUDENT_SESSION).json()["data"][0]["oid"] == VILLE


def test_a_merged_duplicate_oid_signs_in_as_the_master(session_factory, session):
    from ehoks.auth.service import sign_in_student

    load_registry(session_factory)
    signed = sign_in_student(session, {"sub": "x", "oppija_oid": "1.2.246.562.24.30124551036"})
    assert signed.principal == VILLE


def test_guardian_gets_no_student_session(browser, session_factory, session):
    load_registry(session_factory)
    response = sign_in(browser, "student", f"guardian:{MATTI}")
    # No session: the guardian page, which explains why and shows nothing of the child.
    assert response.status_code == 303
    assert response.headers["location"] == "/ehoks/huoltaja"
    assert "ehoks_session" not in response.headers.get("set-cookie", "")
    assert browser.get(STUDENT_SESSION).status_code == 401
    assert browser.get(f"/ehoks-oppija-backend/api/v1/oppija/oppijat/{MATTI}/hoks").status_code in {
        401,
        404,
    }
    assert session.scalars(select(WebSession)).all() == []


def test_picker_page_is_accessible(browser, session_factory):
    load_registry(session_factory)
    params = start(browser, "student")
    page = browser.get("/dev-idp/authorize", params=params, headers={"Accept-Language": "sv"})
    assert page.status_code == 200
    assert '<html lang="sv">' in page.text
    assert 'name="viewport"' in page.text
    assert f'value="student:{MATTI}"' in page.text
    assert f'value="guardian:{MATTI}"' in page.text
    assert "</legend>" in page.text


def test_return_to_must_be_a_local_path(browser):
    from ehoks.auth.service import safe_return_to

    assert safe_return_to("/hoks?x=1") == "/hoks?x=1"
    for bad in ("https://evil.example/", "//evil.example/", "/\\evil", "evil", "", None):
        assert safe_return_to(bad) == "/"


def test_state_is_single_use(browser):
    authorization = pick(browser, start(browser, "staff"), "staff:", other_oid=STAFF_OID)
    assert browser.get(authorization.callback_url).status_code == 303
    replay = browser.get(authorization.callback_url)
    assert replay.status_code == 400
    assert replay.json()["code"] == "sign_in_state_invalid"


def test_unknown_state_is_refused(browser):
    response = browser.get("/auth/callback", params={"state": "nope", "code": "x"})
    assert response.status_code == 400
    assert response.json()["code"] == "sign_in_state_invalid"


def test_a_stale_sign_in_is_refused(browser, session):
    params = start(browser, "staff")
    authorization = pick(browser, params, "staff:", other_oid=STAFF_OID)
    session.execute(
        update(OidcSignIn)
        .where(OidcSignIn.state == params["state"])
        .values(created_at=datetime.now(UTC) - timedelta(minutes=11))
    )
    session.commit()
    response = browser.get(authorization.callback_url)
    assert response.status_code == 400
    assert response.json()["code"] == "sign_in_state_invalid"
    assert session.scalars(select(WebSession)).all() == []


def test_a_callback_in_another_browser_is_refused(browser, other_browser):
    # Login CSRF: an attacker's own code and state, replayed in a victim's browser.
    authorization = pick(browser, start(browser, "staff"), "staff:", other_oid=STAFF_OID)
    response = other_browser.get(authorization.callback_url)
    assert response.status_code == 400
    assert response.json()["code"] == "sign_in_state_invalid"


def test_a_refused_code_gives_no_session(browser, session):
    params = start(browser, "staff")
    response = browser.get(
        "/auth/callback", params={"state": params["state"], "code": "forged-code"}
    )
    assert response.status_code == 401
    assert response.json()["code"] == "token_exchange_failed"
    assert session.scalars(select(WebSession)).all() == []


def test_pkce_challenge_is_the_s256_of_the_stored_verifier(browser, session):
    params = start(browser, "staff")
    row = session.get(OidcSignIn, params["state"])
    assert row is not None
    assert s256(row.code_verifier) == params["code_challenge"]
    assert row.nonce == params["nonce"]


def test_identity_provider_down_is_503(browser, auth_server):
    app = auth_server.app
    original = app.state.settings
    app.state.settings = original.model_copy(
        update={"oidc_staff_issuer": "http://127.0.0.1:9/unreachable"}
    )
    try:
        response = browser.get("/auth/staff/login")
    finally:
        app.state.settings = original
    assert response.status_code == 503
    assert response.json()["code"] == "identity_provider_unavailable"
