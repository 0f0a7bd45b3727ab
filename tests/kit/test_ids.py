"""Time-ordered identifiers: valid version 7 UUIDs, unique, and in the order they were made."""

from __future__ import annotations

import time
import uuid

from ehoks.kit.ids import new_id, time_ordered_uuid


def test_a_new_id_is_a_version_7_uuid_of_now():
    before = time.time_ns() // 1_000_000
    made = time_ordered_uuid()
    after = time.time_ns() // 1_000_000
    assert made.version == 7
    assert made.variant == uuid.RFC_4122
    assert before <= made.int >> 80 <= after
    assert uuid.UUID(new_id()).version == 7


def test_ids_are_unique_and_sort_in_the_order_of_their_milliseconds():
    made = []
    for _ in range(3):
        made += [new_id() for _ in range(2000)]
        time.sleep(0.002)
    assert len(set(made)) == len(made)
    milliseconds = [uuid.UUID(text).int >> 80 for text in made]
    assert milliseconds == sorted(milliseconds)
    # Text order is time order across milliseconds (what the indexes sort by).
    first_of_each = dict(reversed(list(zip(milliseconds, made, strict=True))))
    assert sorted(first_of_each.values()) == [first_of_each[m] for m in sorted(first_of_each)]


def test_the_random_bits_differ_within_one_millisecond():
    made = [time_ordered_uuid().int & ((1 << 76) - 1) for _ in range(1000)]
    assert len(set(made)) == len(made)
