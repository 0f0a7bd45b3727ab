"""A verified token is remembered only until it expires, and the memory stays bounded."""

from __future__ import annotations

from ehoks.client.token_cache import VerifiedTokens


def test_a_token_is_remembered_until_it_expires():
    tokens = VerifiedTokens()
    tokens.remember("t", "client-1", expires_at=100.0, now=0.0)
    assert tokens.client_id("t", 99.9) == "client-1"
    assert tokens.client_id("t", 100.0) is None
    # Gone for good: a later clock cannot bring it back.
    assert tokens.client_id("t", 50.0) is None
    assert tokens.client_id("other", 0.0) is None


def test_the_memory_is_bounded():
    tokens = VerifiedTokens(max_entries=3)
    for n in range(3):
        tokens.remember(f"t{n}", "c", expires_at=10.0 if n else 1.0, now=0.0)
    # Full: the expired one makes room.
    tokens.remember("t3", "c", expires_at=10.0, now=5.0)
    assert len(tokens) == 3
    assert tokens.client_id("t0", 5.0) is None
    # Full of live tokens: it starts over rather than grow.
    tokens.remember("t4", "c", expires_at=10.0, now=5.0)
    assert len(tokens) == 1
    assert tokens.client_id("t4", 5.0) == "c"
