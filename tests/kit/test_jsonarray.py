"""The batch splitter finds each item of a JSON array however the body arrives in chunks, and
refuses as soon as a limit is passed."""

from __future__ import annotations

import json

import orjson
import pytest

from ehoks.kit.jsonarray import (
    INVALID_JSON,
    ITEM_TOO_LARGE,
    NOT_AN_ARRAY,
    TOO_MANY_ITEMS,
    ArraySplitter,
    Item,
    JsonArrayError,
    Parsed,
)

BODY = (
    ' [ {"nimi": "Äijä \\"ö\\" ]}", "lista": [1, 2.5e3, {"a": null}]},\n'
    '12345 , "merkkijono, ]" , true,false,null,[],{}, -0.5 ]  '
).encode()


def split(body: bytes, chunk: int, *, whole: bool = False, **limits: int) -> list[Item]:
    splitter = ArraySplitter(
        max_items=limits.get("max_items", 1000),
        max_item_bytes=limits.get("max_item_bytes", 1000),
        parse_small_whole=whole,
    )
    for start in range(0, len(body), chunk):
        splitter.feed(body[start : start + chunk])
    return splitter.finish()


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 10_000])
def test_items_are_the_arrays_items_whatever_the_chunks(chunk):
    items = split(BODY, chunk)
    assert [orjson.loads(item) for item in items] == json.loads(BODY)


def test_an_empty_array_has_no_items():
    assert split(b"[]", 1) == []
    assert split(b" [ \n ] ", 2) == []


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"a": 1}', NOT_AN_ARRAY),
        (b"", NOT_AN_ARRAY),
        (b"  ", NOT_AN_ARRAY),
        (b"[1, 2", INVALID_JSON),
        (b"[1, 2,]", INVALID_JSON),
        (b"[1 2]", INVALID_JSON),
        (b"[1] [2]", INVALID_JSON),
        (b"[NaN]", INVALID_JSON),
        (b"[" * 100_000, INVALID_JSON),
    ],
)
@pytest.mark.parametrize("whole", [False, True])
def test_what_is_not_an_array_is_refused(body, reason, whole):
    for chunk in (1, 5, len(body) or 1):
        if chunk == 1 and len(body) > 1000:
            continue
        with pytest.raises(JsonArrayError) as refused:
            split(body, chunk, whole=whole, max_item_bytes=1_000_000)
        assert refused.value.reason == reason


def test_the_item_after_the_limit_is_refused_before_the_rest_is_read():
    splitter = ArraySplitter(max_items=1000, max_item_bytes=1000)
    splitter.feed(b"[" + b"{}," * 999)
    with pytest.raises(JsonArrayError) as refused:
        splitter.feed(b"{},{},")
    assert refused.value.reason == TOO_MANY_ITEMS


def test_an_item_larger_than_its_limit_is_refused_while_it_arrives():
    splitter = ArraySplitter(max_items=10, max_item_bytes=100_000)
    splitter.feed(b'[{"a": "')
    splitter.feed(b"x" * 64 * 1024)
    # Not complete, and already larger than any item may be: no need to wait for its end.
    with pytest.raises(JsonArrayError) as refused:
        splitter.feed(b"x" * 100 * 1024)
    assert refused.value.reason == ITEM_TOO_LARGE
    with pytest.raises(JsonArrayError) as whole:
        split(b'["' + b"x" * 2000 + b'"]', 10_000)
    assert whole.value.reason == ITEM_TOO_LARGE


@pytest.mark.parametrize("chunk", [1, 7, 10_000])
def test_a_body_no_larger_than_an_item_is_parsed_once_whole(chunk):
    items = split(BODY, chunk, whole=True)
    assert all(isinstance(item, Parsed) for item in items)
    assert [item.value for item in items if isinstance(item, Parsed)] == json.loads(BODY)


def test_a_larger_body_is_split_into_bytes_as_it_arrives():
    items = split(BODY, 7, whole=True, max_item_bytes=len(BODY) - 1)
    assert [orjson.loads(item) for item in items if isinstance(item, bytes)] == json.loads(BODY)


def test_a_small_body_whose_item_is_not_utf8_is_split_for_that_item_to_be_refused_alone():
    items = split(b'[{"a": 1}, "' + bytes([0xFF]) + b'", 2]', 5, whole=True)
    assert items == [b'{"a": 1}', b'"\xff"', b"2"]


def test_too_many_items_in_a_small_body_are_refused():
    with pytest.raises(JsonArrayError) as refused:
        split(b"[" + b",".join([b"{}"] * 11) + b"]", 3, whole=True, max_items=10)
    assert refused.value.reason == TOO_MANY_ITEMS
    assert len(split(b"[" + b",".join([b"{}"] * 10) + b"]", 3, whole=True, max_items=10)) == 10
