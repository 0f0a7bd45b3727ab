"""Wrong secrets at the token endpoint are throttled per address and per client id (issue 7)."""

from __future__ import annotations

import httpx

from tests.client.conftest import MakeClient

FORM = {"grant_type": "client_credentials"}


def token(http: httpx.Client, client_id: str, secret: str, address: str, **headers: str):
    """A token request as if from `address` (the test server trusts its own X-Forwarded-For)."""
    return http.post(
        "/oauth2/token",
        data=FORM,
        auth=(client_id, secret),
        headers={"X-Forwarded-For": address, **headers},
    )


def test_sixty_wrong_secrets_in_a_row_get_429s(http: httpx.Client, make_client: MakeClient):
    client, secret = make_client()
    other, other_secret = make_client(name="Toinen SIS")
    answers = [token(http, client.client_id, "wrong", "192.0.2.10") for _ in range(60)]

    assert [a.status_code for a in answers] == [401] * 10 + [429] * 50
    refused = answers[-1]
    assert 1 <= int(refused.headers["Retry-After"]) <= 120
    body = refused.json()
    assert body["error"] == "too_many_attempts"
    assert body["error_description"].isascii()
    assert body["message"].startswith("Liian monta yritystä")
    swedish = token(http, client.client_id, "wrong", "192.0.2.10", **{"Accept-Language": "sv"})
    assert swedish.json()["message"].startswith("För många försök")
    # From that address even the right secret waits ...
    assert token(http, client.client_id, secret, "192.0.2.10").status_code == 429
    # ... while from another address it still works, and so does another client's.
    assert token(http, client.client_id, secret, "192.0.2.20").status_code == 200
    assert token(http, other.client_id, other_secret, "192.0.2.30").status_code == 200


def test_one_client_id_guessed_from_many_addresses_is_throttled(
    http: httpx.Client, make_client: MakeClient
):
    client, secret = make_client()
    other, other_secret = make_client(name="Toinen SIS")
    statuses = [
        token(http, client.client_id, f"wrong-{n}", f"198.51.100.{n}").status_code
        for n in range(1, 36)
    ]
    assert statuses == [401] * 30 + [429] * 5
    assert token(http, client.client_id, secret, "198.51.100.200").status_code == 429
    assert token(http, other.client_id, other_secret, "198.51.100.200").status_code == 200
