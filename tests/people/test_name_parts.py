"""The JSON staff search's `nimi` through the name-suffix table answers exactly what its name
filters answer (each typed token is a part of the lower-cased name, and its folded form a part of
the folded name), for generated Finnish and Swedish names: terms at a word's start, in its middle
and at its end, across a hyphen (a space once folded), short and long, page by page in every
order with the count; and the table follows every write and is rebuilt the same by the
migration's backfill."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import delete, or_, select, text
from sqlalchemy.orm import Session, sessionmaker

from ehoks.access.decision import HoksScope
from ehoks.access.directory import OrganisationSet
from ehoks.hoks.models import Hoks, HoksNameSuffix
from ehoks.hoks.names import repository as names
from ehoks.kit.folding import fold_letters, search_name
from ehoks.people.search import StudentSearch, repository
from tests.staffpages.test_name_words import WITHIN, _write_plans

# As `nimi` is typed: split on spaces and commas by the route (`answer.search_of`).
TYPED = (
    ("virtanen",), ("irtan",), ("nen",), ("VIRT",), ("tanen",), ("mäki",), ("maki",),
    ("äki",), ("lindén",), ("linden",), ("ndé",), ("anna-liisa",), ("a-li",), ("na-l",),
    ("nen-ko",), ("sänen-koski",), ("ki-jo",), ("matti", "virtanen"), ("atti", "tanen"),
    ("ma", "vi"), ("ri", "kris"), ("ström",), ("strom",), ("åke",), ("ake",), ("ö",), ("ek",),
    ("ursin",), ("f urs",), ("zzz",), ("eer",), ("élise",), ("lise",), ("ülle",), ("ulle",),
    ("pär", "åström"), ("aho",), ("ANNA", "anna"), ("iisa", "maija"), ("ille",), ("vi",),
    ("ariaa",), ("qvist",), ("kkilä",), ("-",), ("a-",), ("-koski",), ("ström-",),
)  # fmt: skip
ORDERS = (("nimi", False), ("nimi", True), ("tutkinto", False))
PAGES = ((0, 10), (10, 10), (3, 7), (20, 5))


def _reference(session: Session, search: StudentSearch) -> list[int]:
    """The matching plans in the search's order: the name conditions applied in Python to every
    live plan of the organisations, then sorted by the database as the search sorts."""
    assert search.within is not None
    oids = sorted(search.within.oids)
    plans = session.execute(
        select(Hoks.id, Hoks.sort_name, Hoks.search_name).where(
            Hoks.deleted_at.is_(None),
            or_(Hoks.oppilaitos_oid.in_(oids), Hoks.koulutustoimija_oid.in_(oids)),
        )
    ).all()
    matching = [
        hoks_id
        for hoks_id, sort_name, folded in plans
        if all(
            t.lower() in sort_name and fold_letters(t.lower()) in folded for t in search.name_tokens
        )
    ]
    keys: list[Any] = [Hoks.sort_name, Hoks.id]
    if search.order_by == "tutkinto":
        keys = [Hoks.id]  # no plan here has a study right: its name sorts them all alike
    if search.descending:
        keys = [key.desc() for key in keys]
    return list(session.scalars(select(Hoks.id).where(Hoks.id.in_(matching)).order_by(*keys)))


def test_name_part_searches_answer_as_the_name_filters(session_factory: sessionmaker[Session]):
    _write_plans(session_factory)
    compared = through_parts = found_some = 0
    with session_factory() as session:
        for oids in WITHIN:
            organisations = OrganisationSet(every=False, oids=frozenset(oids))
            for tokens in TYPED:
                for order_by, descending in ORDERS:
                    search = StudentSearch(
                        within=organisations,
                        scope=HoksScope(owned_by=organisations),
                        name_tokens=tokens,
                        order_by=order_by,
                        descending=descending,
                    )
                    expected = _reference(session, search)
                    found_some += bool(expected)
                    shape = repository._shape_of(search, counted=True)
                    through_parts += shape.drive is not None
                    for offset, limit in PAGES:
                        asked = StudentSearch(
                            within=search.within,
                            scope=search.scope,
                            name_tokens=tokens,
                            order_by=order_by,
                            descending=descending,
                            offset=offset,
                            limit=limit,
                        )
                        result = repository.search_students(session, asked)
                        shown = [row.hoks_id for row in result.rows]
                        assert shown == expected[offset : offset + limit], (oids, tokens, order_by)
                        assert (result.total, result.more) == (len(expected), False), tokens
                        compared += 1
    runs = len(WITHIN) * len(TYPED) * len(ORDERS)
    assert through_parts > runs // 2  # most searches read the suffix table
    assert found_some > runs // 2
    assert compared == runs * len(PAGES)


@pytest.mark.parametrize(
    ("tokens", "parts"),
    [
        (("virtanen",), ("virtanen",)),
        (("Anna-Liisa",), ("liisa", "anna")),
        (("matti", "virtanen"), ("virtanen", "matti")),
        (("a-li",), ()),
        (("sänen-koski", "VIRT"), ("sanen", "koski", "virt")),
        (("ek", "åke", "ake"), ("ake",)),
    ],
)
def test_the_parts_the_table_reads(tokens: tuple[str, ...], parts: tuple[str, ...]):
    assert repository.name_parts(tokens) == parts


def _migration() -> ModuleType:
    versions = Path(repository.__file__).parents[2] / "migrations" / "versions"
    path = next(versions.glob("0026_*.py"))
    spec = importlib.util.spec_from_file_location("name_suffixes_migration", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _suffix_rows(session: Session) -> set[tuple[Any, ...]]:
    found = session.execute(
        select(
            HoksNameSuffix.hoks_id,
            HoksNameSuffix.owner_oid,
            HoksNameSuffix.suffix,
            HoksNameSuffix.sort_name,
        )
    )
    return {tuple(row) for row in found}


def test_the_suffix_rows_follow_writes_and_the_backfill_makes_the_same(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(names, "RENAMES_PER_STATEMENT", 3)
    _write_plans(session_factory)
    with session_factory() as session:
        kept = _suffix_rows(session)
        live = session.execute(
            select(Hoks.id, Hoks.oppilaitos_oid, Hoks.koulutustoimija_oid, Hoks.sort_name).where(
                Hoks.deleted_at.is_(None)
            )
        ).all()
        expected = {
            (hoks_id, owner, word[start:], name)
            for hoks_id, school, provider, name in live
            for owner in {school, provider} - {None}
            for word in search_name(name).split(" ")
            for start in range(len(word) - 2)
        }
        assert kept == expected
        assert {"nen", "virtanen", "irtanen"} <= {suffix for _, _, suffix, _ in kept}
        assert all(len(suffix) >= names.MIN_SUFFIX and " " not in suffix for *_, suffix, _ in kept)
        session.execute(delete(HoksNameSuffix))
        dialect = session.get_bind().dialect.name
        session.execute(text(_migration().backfill_statement(dialect)))
        assert _suffix_rows(session) == kept
        session.rollback()
