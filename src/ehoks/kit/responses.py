"""The one response layer: typed wire models, one serialiser, one envelope.

Every JSON answer but an error is `envelope(data, meta)`: `{"meta": …, "data": …}` as the
national service answers (with `names` beside them when asked for). `data` and `meta` are wire
models (`Wire`), plain JSON values, or `Raw` JSON already serialised (a stored HOKS document is
sent as it is stored, without parsing it again). Routes declare what they answer with
`response_model=Envelope[Model]` (or `documented(...)`), so the OpenAPI document describes every
success response, not only the requests.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import orjson
from pydantic import BaseModel, ConfigDict, Field

from ehoks.kit.http import JsonResponse

D = TypeVar("D")
M = TypeVar("M")


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class Wire(BaseModel):
    """A response body part: snake_case fields, kebab-case keys (the national convention);
    a field with another key spells it with `Field(alias=...)`. A None is sent as null, unless
    the field is declared `= omitted_if_none()`."""

    model_config = ConfigDict(alias_generator=_kebab, populate_by_name=True, frozen=True)


def _is_none(value: object) -> bool:
    return value is None


def omitted_if_none(description: str = "") -> Any:
    """A field that is left out of the answer when it has no value (None)."""
    return Field(default=None, exclude_if=_is_none, description=description or None)


class Empty(Wire):
    """`{}`: nothing more to say (an empty `meta`, or the `data` of an accepted request)."""


NoMeta = Empty


class Envelope(BaseModel, Generic[D, M]):
    """`{"meta": M, "data": D}`: the national response envelope."""

    meta: M
    data: D


class NamedEnvelope(Envelope[D, M], Generic[D, M]):
    """The envelope with `names` (with `?nimet=true`): every code and organisation OID in the
    data, with its fi/sv/en names."""

    names: dict[str, dict[str, str]] | None = Field(default=None)


class Raw:
    """JSON already serialised (a stored document), put into an answer as it is."""

    __slots__ = ("json",)

    def __init__(self, json: bytes) -> None:
        self.json = json


def _default(value: object) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True)
    if isinstance(value, Raw):
        return orjson.Fragment(value.json)
    raise TypeError(f"{type(value).__name__} is not JSON")


def serialise(value: object) -> bytes:
    """The one serialiser: wire models (by their keys), raw JSON, and plain JSON values, in any
    nesting."""
    return orjson.dumps(value, default=_default)


def envelope(
    data: object,
    meta: object = None,
    *,
    names: dict[str, dict[str, str]] | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> JsonResponse:
    """The national envelope around `data` (and `meta`, `{}` when there is none)."""
    body: dict[str, object] = {"meta": {} if meta is None else meta, "data": data}
    if names is not None:
        body["names"] = names
    return JsonResponse(serialise(body), status_code=status, headers=headers)


def answer(
    body: object, *, status: int = 200, headers: dict[str, str] | None = None
) -> JsonResponse:
    """A body without the envelope (where the national service answers bare, or a standard
    says so: the OAuth2 token endpoint, probes)."""
    return JsonResponse(serialise(body), status_code=status, headers=headers)
