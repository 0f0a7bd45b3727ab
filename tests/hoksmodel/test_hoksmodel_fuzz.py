"""Validation never raises, whatever it is given."""

from __future__ import annotations

import copy
import random
from typing import Any

from ehoks.hoksmodel import Method, Variant, stored_form, validate_hoks
from ehoks.kit.errors import pointer_parts
from tests.hoksmodel.hoksmodel_cases import EXAMPLE_FILES, TODAY, example, study_right

_KEYS = [
    "alku",
    "loppu",
    "id",
    "module-id",
    "osa-alueet",
    "nimi",
    "keskeytymisajanjaksot",
    "x",
    "a/b~c",
]


def _value(rng: random.Random, depth: int = 0) -> Any:
    choice = rng.randrange(12 if depth < 3 else 9)
    simple: list[Any] = [
        None,
        True,
        rng.randint(-(2**40), 2**40),
        rng.random() * 1e6 - 5e5,
        float("nan"),
        "",
        "2019-02-29",
        " \x00 ",
        "\ud800",
    ]
    if choice < len(simple):
        return simple[choice]
    if choice == 9:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(3))]
    if choice == 10:
        return {rng.choice(_KEYS): _value(rng, depth + 1) for _ in range(rng.randrange(3))}
    return 10**400


def _nodes(doc: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(doc, dict):
        for key, item in doc.items():
            found.extend(_nodes(item, (*path, key)))
    elif isinstance(doc, list):
        for index, item in enumerate(doc):
            found.extend(_nodes(item, (*path, index)))
    return found


def _mutate(rng: random.Random, doc: dict[str, Any]) -> None:
    paths = [p for p in _nodes(doc) if p]
    target = rng.choice(paths)
    node: Any = doc
    for part in target[:-1]:
        node = node[part]
    if rng.random() < 0.2 and isinstance(node, dict):
        del node[target[-1]]
    else:
        node[target[-1]] = _value(rng)


def _resolves(body: Any, path: str) -> bool:
    """The pointer reaches an existing node, or a missing key of an existing object."""
    node = body
    parts = pointer_parts(path)
    for index, part in enumerate(parts):
        if isinstance(node, list):
            node = node[int(part)]
        elif isinstance(node, dict):
            if part not in node:
                return index == len(parts) - 1
            node = node[part]
        else:
            return False
    return True


def test_random_values_never_raise() -> None:
    rng = random.Random(20261129)  # noqa: S311 - reproducible test data
    for _ in range(300):
        body = _value(rng)
        for method in Method:
            result = validate_hoks(body, method=method, study_right=None, today=TODAY)
            assert result.document is not None or result.violations


def test_mutated_examples_never_raise() -> None:
    rng = random.Random(4242)  # noqa: S311 - reproducible test data
    rights = [None, study_right(), study_right("tuva"), study_right(latest_tila="eronnut")]
    for round_ in range(400):
        doc = example(EXAMPLE_FILES[round_ % len(EXAMPLE_FILES)])
        for _ in range(rng.randrange(1, 4)):
            _mutate(rng, doc)
        original = copy.deepcopy(doc)
        for method in Method:
            for variant in Variant:
                result = validate_hoks(
                    doc,
                    method=method,
                    variant=variant,
                    study_right=rng.choice(rights),
                    today=TODAY,
                )
                assert doc == original or doc != doc  # noqa: PLR0124 - NaN never equals
                for violation in result.violations:
                    assert _resolves(doc, violation.path), violation
                if result.document is not None:
                    assert stored_form(stored_form(result.document)) == stored_form(result.document)
