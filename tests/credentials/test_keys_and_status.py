"""Where the private signing keys are kept, and the status list's bits."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from ehoks.credentials import keys, status


def test_private_keys_in_a_directory_stay_out_of_the_database(session_factory, settings, tmp_path):
    in_directory = settings.model_copy(update={"credential_key_dir": str(tmp_path / "keys")})
    now = datetime.now(UTC)
    with session_factory() as session:
        first = keys.signing_key(session, in_directory, now)
        assert [row.private_pem for row in keys.key_rows(session)] == [None]
        path = tmp_path / "keys" / f"{first.kid}.pem"
        assert path.stat().st_mode & 0o777 == 0o600
        assert keys.signing_key(session, in_directory, now).kid == first.kid
        # Without the directory the key cannot sign: a clear error, never a silent new key.
        with pytest.raises(keys.KeyUnavailableError, match="EHOKS_CREDENTIAL_KEY_DIR"):
            keys.signing_key(session, settings, now)
        session.rollback()


def test_a_status_list_sets_exactly_the_revoked_bits():
    revoked = {0, 7, 8, 65_535, status.LIST_BITS - 1}
    encoded = status.encode(revoked)
    assert encoded.startswith("u")
    for index in (*revoked, 1, 6, 9, 65_534, status.LIST_BITS - 2):
        assert status.is_set(encoded, index) is (index in revoked)
    with pytest.raises(status.StatusListError):
        status.is_set(encoded, status.LIST_BITS)
    with pytest.raises(status.StatusListError):
        status.is_set("not multibase", 0)


def test_a_list_that_inflates_beyond_any_real_one_is_not_read_whole():
    bomb = gzip.compress(b"\x00" * (status.LIST_BITS * 4))
    import base64

    encoded = "u" + base64.urlsafe_b64encode(bomb).decode().rstrip("=")
    assert status.is_set(encoded, 5) is False  # read up to the bound only
