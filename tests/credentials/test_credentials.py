"""The signed credential: issued by the student, verified by `ehoks credentials verify` and by
an independent JOSE library with nothing but the published key, refused when altered or revoked,
and still verified after the signing key has rotated."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import jwt
from click.testing import CliRunner

from ehoks.cli import main
from ehoks.credentials import keys
from tests.people.conftest import EETU, MAIJA

HTML = {"Accept": "text/html"}


def _issue(person, hoks_id: int, lang: str = "en") -> str:
    """Issue a credential on the summary page and download it, as the student does."""
    summary = f"/ehoks/suunnittelu/{hoks_id}/osaamiskooste"
    issued = person.http.post(
        f"{summary}/todisteet", data={"kieli": lang, "lang": "en"}, headers=person.headers
    )
    assert issued.status_code == 303, issued.text[:300]
    page = person.http.get(f"{summary}?lang=en", headers={**person.headers, **HTML})
    links = re.findall(rf'href="({summary}/todisteet/[0-9a-f-]{{36}})"', page.text)
    assert links, page.text[:2000]
    token = person.http.get(links[0], headers=person.headers)
    assert token.status_code == 200
    assert token.headers["content-type"].startswith("application/vc+jwt")
    return token.text


def _cli_verify(tmp_path, token: str, name: str = "credential.jwt"):
    path = tmp_path / name
    path.write_text(token, encoding="utf-8")
    return CliRunner().invoke(main, ["credentials", "verify", str(path)])


def _independently(http, token: str) -> dict:
    """PyJWT, with only the key the service publishes in its JWKS."""
    kid = jwt.get_unverified_header(token)["kid"]
    published = jwt.PyJWKSet.from_dict(http.get("/.well-known/jwks.json").json())
    key = next(k for k in published.keys if k.key_id == kid)
    return jwt.decode(token, key.key, algorithms=["EdDSA"])


def _altered(token: str) -> str:
    """One character of the payload changed."""
    header, payload, signature = token.split(".")
    middle = len(payload) // 2
    swapped = "A" if payload[middle] != "A" else "B"
    return ".".join([header, payload[:middle] + swapped + payload[middle + 1 :], signature])


def test_a_credential_verifies_and_fails_when_altered_or_revoked(
    full_plan, student, http, tmp_path
):
    hoks_id, document = full_plan
    maija = student(MAIJA)
    token = _issue(maija, hoks_id)
    credential = _independently(http, token)
    assert credential["type"] == ["VerifiableCredential", "AchievementCredential"]
    assert credential["credentialSubject"]["identifier"][0]["identityHash"]
    assert MAIJA not in str(credential)
    employers = {e["name"] for e in credential["evidence"] if e.get("description")}
    expected = {
        period["tyopaikalla-jarjestettava-koulutus"]["tyopaikan-nimi"]
        for unit in document["hankittavat-ammat-tutkinnon-osat"]
        for period in unit.get("osaamisen-hankkimistavat", [])
        if "tyopaikalla-jarjestettava-koulutus" in period
    }
    assert expected <= employers
    # The service's own command, as an employer would run it: the key from the did:web document.
    result = _cli_verify(tmp_path, token)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("VERIFIED (verified)")
    assert "Authentic, unaltered and not revoked" in result.output
    # One character changed: the signature no longer matches, for both verifiers.
    altered = _altered(token)
    result = _cli_verify(tmp_path, altered, "altered.jwt")
    assert result.exit_code == 1
    assert "NOT VERIFIED (altered)" in result.output
    try:
        _independently(http, altered)
    except jwt.InvalidTokenError:
        pass
    else:
        raise AssertionError("an altered credential verified")
    # Revoked by the student: the status list says so, and verification fails with the reason.
    summary = f"/ehoks/suunnittelu/{hoks_id}/osaamiskooste"
    uuid = credential["id"].removeprefix("urn:uuid:")
    revoked = maija.http.post(
        f"{summary}/todisteet/{uuid}/peru", data={"lang": "en"}, headers=maija.headers
    )
    assert revoked.status_code == 303
    result = _cli_verify(tmp_path, token)
    assert result.exit_code == 1
    assert "NOT VERIFIED (revoked)" in result.output
    assert "revoked" in maija.http.get(f"{summary}?lang=en", headers={**maija.headers, **HTML}).text


def test_another_student_can_neither_download_nor_revoke(full_plan, student, tmp_path):
    hoks_id, _ = full_plan
    token = _issue(student(MAIJA), hoks_id)
    uuid = jwt.decode(token, options={"verify_signature": False})["id"].removeprefix("urn:uuid:")
    eetu = student(EETU)
    base = f"/ehoks/suunnittelu/{hoks_id}/osaamiskooste/todisteet"
    assert eetu.http.get(f"{base}/{uuid}", headers=eetu.headers).status_code == 404
    refused = eetu.http.post(f"{base}/{uuid}/peru", data={}, headers=eetu.headers)
    assert refused.status_code == 404
    assert eetu.http.post(base, data={"kieli": "fi"}, headers=eetu.headers).status_code == 404
    assert _cli_verify(tmp_path, token).exit_code == 0  # still valid


def test_a_rotated_key_keeps_earlier_credentials_valid(
    full_plan, student, live_server, session_factory, tmp_path
):
    hoks_id, _ = full_plan
    maija = student(MAIJA)
    before = _issue(maija, hoks_id, "fi")
    with session_factory() as session:
        keys.rotate(session, live_server.app.state.settings, datetime.now(UTC))
        session.commit()
    after = _issue(maija, hoks_id, "sv")
    assert jwt.get_unverified_header(before)["kid"] != jwt.get_unverified_header(after)["kid"]
    http = maija.http
    document = http.get("/.well-known/did.json").json()
    assert len(document["verificationMethod"]) == 2
    assert document["id"].startswith("did:web:127.0.0.1%3A")
    for token in (before, after):
        assert _independently(http, token)["credentialSubject"]["achievement"]["inLanguage"]
        assert _cli_verify(tmp_path, token).exit_code == 0


def test_the_check_page_says_authentic_altered_or_not_a_credential(full_plan, student, http):
    hoks_id, _ = full_plan
    token = _issue(student(MAIJA), hoks_id)
    pasted = http.post("/tarkista", data={"todiste": token, "lang": "en"}, headers=HTML)
    assert pasted.status_code == 200
    assert "Authentic, unaltered and not revoked" in pasted.text
    uploaded = http.post(
        "/tarkista",
        data={"lang": "sv"},
        files={"tiedosto": ("todiste.jwt", token.encode(), "application/vc+jwt")},
        headers=HTML,
    )
    assert uploaded.status_code == 200
    assert 'lang="sv"' in uploaded.text
    assert "notice--success" in uploaded.text
    altered = http.post("/tarkista", data={"todiste": _altered(token), "lang": "en"}, headers=HTML)
    assert "The credential has been altered" in altered.text
    assert "What the credential says" not in altered.text
    nonsense = http.post(
        "/tarkista", data={"todiste": "not a credential", "lang": "fi"}, headers=HTML
    )
    assert nonsense.status_code == 200
    assert "notice--error" in nonsense.text
    empty = http.post("/tarkista", data={"todiste": " ", "lang": "en"}, headers=HTML)
    assert empty.status_code == 400
    assert "Paste a credential or choose its file." in empty.text


def test_many_checks_from_one_address_are_throttled(http, live_server):
    limit = live_server.app.state.settings.credential_checks_per_10_minutes
    answers = [
        http.post("/tarkista", data={"todiste": "x.y.z", "lang": "en"}, headers=HTML).status_code
        for _ in range(limit + 1)
    ]
    assert answers[:limit] == [200] * limit
    assert answers[limit] == 429


def test_deleting_the_plan_revokes_its_credentials(full_plan, student, session_factory, tmp_path):
    from ehoks.hoks import writes as hoks_writes
    from tests.support.actors import trusted_actor

    hoks_id, _ = full_plan
    token = _issue(student(MAIJA), hoks_id)
    assert _cli_verify(tmp_path, token).exit_code == 0
    with session_factory() as session:
        hoks_writes.soft_delete_hoks(
            session, hoks_id, trusted_actor(session), now=datetime.now(UTC)
        )
        session.commit()
    result = _cli_verify(tmp_path, token)
    assert result.exit_code == 1
    assert "NOT VERIFIED (revoked)" in result.output
