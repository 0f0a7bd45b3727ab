"""The students list's name search through the name-word table answers exactly what the name
filter on the plans' search names answers (each typed word begins a part of the name, case and
accents folded), for generated Finnish and Swedish names, page by page and with its count; and
the table follows every write (batch and single creates, renames, deletions, restores) and is
rebuilt the same by the migration's backfill."""

from __future__ import annotations

import importlib.util
import random
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import delete, or_, select, text
from sqlalchemy.orm import Session, sessionmaker

from ehoks.access.decision import HoksScope
from ehoks.access.directory import OrganisationSet
from ehoks.hoks import repository as hoks_repository
from ehoks.hoks.checks import sort_name
from ehoks.hoks.lists import repository as lists
from ehoks.hoks.models import Hoks, HoksNameWord
from ehoks.hoks.names import repository as names
from ehoks.kit.folding import name_words
from ehoks.registry.scoping import within_shape
from ehoks.staffpages import repository
from ehoks.staffpages.listing import Order, StudentQuery

PROVIDER = "1.2.246.562.10.70000000001"
SCHOOL_1 = "1.2.246.562.10.70000000002"
SCHOOL_2 = "1.2.246.562.10.70000000003"
OTHER_PROVIDER = "1.2.246.562.10.70000000004"
OTHER_SCHOOL = "1.2.246.562.10.70000000005"
OWNERS = (
    (SCHOOL_1, PROVIDER),
    (SCHOOL_2, PROVIDER),
    (None, PROVIDER),
    (OTHER_SCHOOL, OTHER_PROVIDER),
)
SURNAMES = (
    "Virtanen", "Mäkinen", "Nieminen", "Järvinen", "Lindén", "Öberg", "Åkerlund", "Sjöberg",
    "Väisänen-Koski", "af Ursin", "von Wright", "Hämäläinen", "KORHONEN", "Ek", "Åström",
    "Östman", "Lindqvist", "Koski", "Heikkilä", "Mäki-Jokela", "Virta", "Ahonen",
)  # fmt: skip
FIRST_NAMES = (
    "Matti", "Maija", "Anna-Liisa", "Jöns", "Åsa", "Märta", "Pär", "Mikael", "Emma", "Aino",
    "Eero", "Élise", "Ülle", "Maria Kristiina", "anna", "Liisa", "Ville Petteri", "Eeva-Maria",
)  # fmt: skip
TYPED = (
    "virtanen", "VIRT", "virta", "mäki", "maki", "MAKINEN", "lind", "linden", "lindén", "åke",
    "ake", "anna-liisa", "anna liisa", "liisa", "matti virtanen", "virtanen matti", "ma vi",
    "koski", "väisänen-koski", "af ursin", "von", "ö", "ek", "nen", "eero", "maria kris",
    "ANNA anna", "mä ni", "mäki jokela", "ulle", "zzz", "élise", "pär åström", "aho",
)  # fmt: skip
WITHIN = (
    (PROVIDER, SCHOOL_1, SCHOOL_2),
    (SCHOOL_1,),
    (PROVIDER,),
    (SCHOOL_1, OTHER_SCHOOL),
    (OTHER_PROVIDER, OTHER_SCHOOL),
)
PAGES = ((1, 20), (2, 7), (4, 5))


def _name(chance: random.Random) -> tuple[str, str]:
    first = chance.choice(FIRST_NAMES)
    last = chance.choice(SURNAMES)
    if chance.random() < 0.2:
        first, last = first.upper(), last.lower()
    return first, last


def _new(index: int, owners: tuple[str | None, str], name: str) -> hoks_repository.NewHoks:
    return hoks_repository.NewHoks(
        eid=f"00000000-0000-4000-8000-{index:012d}",
        oppija_oid=f"1.2.246.562.24.{index:011d}",
        opiskeluoikeus_oid=f"1.2.246.562.15.{index:011d}",
        oppilaitos_oid=owners[0],
        koulutustoimija_oid=owners[1],
        ensikertainen_hyvaksyminen=None,
        osaamisen_saavuttamisen_pvm=None,
        manuaalisyotto=False,
        document="{}",
        actor="test",
        now=datetime.now(UTC),
        sort_name=name,
    )


def _write_plans(factory: sessionmaker[Session]) -> None:
    """~240 plans by batch and single creates, then renames, deletions and restores."""
    chance = random.Random(11)  # noqa: S311 - names for a test, not secrets
    plans = [
        _new(index, chance.choice(OWNERS), sort_name(*_name(chance)) if index % 40 else "")
        for index in range(1, 241)
    ]
    with factory() as session:
        assert hoks_repository.insert_many(session, plans[:200]) is not None
        for plan in plans[200:]:
            assert hoks_repository.insert_hoks(session, plan) is not None
        session.commit()
    with factory() as session:
        rows = session.scalars(select(Hoks).order_by(Hoks.id)).all()
        for number, row in enumerate(rows):
            change = hoks_repository.HoksChange(
                document=row.document,
                oppija_oid=row.oppija_oid,
                ensikertainen_hyvaksyminen=None,
                osaamisen_saavuttamisen_pvm=None,
                deleted_at=datetime.now(UTC) if number % 9 == 0 else None,
                actor="test",
                now=datetime.now(UTC),
                sort_name=sort_name(*_name(chance)) if number % 7 == 0 else None,
            )
            if number % 5 == 0 or change.deleted_at or change.sort_name:
                assert hoks_repository.compare_and_set(session, row, change, operation="update")
        session.commit()
    with factory() as session:
        deleted = session.scalars(select(Hoks).where(Hoks.deleted_at.is_not(None))).all()
        for row in deleted[::2]:
            restored = hoks_repository.HoksChange(
                document=row.document,
                oppija_oid=row.oppija_oid,
                ensikertainen_hyvaksyminen=None,
                osaamisen_saavuttamisen_pvm=None,
                deleted_at=None,
                actor="test",
                now=datetime.now(UTC),
            )
            assert hoks_repository.compare_and_set(session, row, restored, operation="restore")
        renamed = session.scalars(select(Hoks.oppija_oid).order_by(Hoks.id).limit(30)).all()
        names = {oid: sort_name(*_name(chance)) for oid in renamed[::3]}
        hoks_repository.refresh_sort_names(session, names)
        session.commit()


def _reference(session: Session, query: StudentQuery) -> list[int]:
    """The matching plans in the list's order, by the name filter on the plans' search names."""
    assert query.within is not None
    oids = sorted(query.within.oids)
    statement = select(Hoks.id).where(
        Hoks.deleted_at.is_(None),
        or_(Hoks.oppilaitos_oid.in_(oids), Hoks.koulutustoimija_oid.in_(oids)),
        *(Hoks.search_name.like(f"% {word}%") for word in name_words(query.name)),
    )
    # The plans here have no study right: in start-date order they all come last, by name.
    descending = query.order in (Order.NAME_DESC, Order.START_DESC)
    keys = [Hoks.sort_name, Hoks.id]
    return list(session.scalars(statement.order_by(*(k.desc() if descending else k for k in keys))))


def test_name_word_pages_answer_as_the_name_filter(session_factory: sessionmaker[Session]):
    _write_plans(session_factory)
    compared = through_words = 0
    with session_factory() as session:
        for oids in WITHIN:
            organisations = OrganisationSet(every=False, oids=frozenset(oids))
            for typed in TYPED:
                for order in Order:
                    query = StudentQuery(
                        name=typed,
                        order=order,
                        within=organisations,
                        scope=HoksScope(owned_by=organisations),
                    )
                    expected = _reference(session, query)
                    words = name_words(typed)
                    drive = lists.driving_word(words, within_shape(organisations))
                    through_words += drive is not None
                    for page, size in PAGES:
                        asked = replace(query, page=page, size=size)
                        found = repository.student_page(session, asked)
                        shown = [row.hoks_id for row in found.rows]
                        assert shown == expected[asked.offset : asked.offset + size], (oids, typed)
                        assert (found.total, found.more) == (len(expected), False), (oids, typed)
                        compared += 1
    assert through_words > len(WITHIN) * len(TYPED) * 2  # most searches read the table
    assert compared == len(WITHIN) * len(TYPED) * len(Order) * len(PAGES)


def test_some_names_find_plans_and_foreign_plans_stay_out(session_factory: sessionmaker[Session]):
    _write_plans(session_factory)
    within = OrganisationSet(every=False, oids=frozenset({SCHOOL_1}))
    with session_factory() as session:
        query = StudentQuery(name="virtanen", within=within, scope=HoksScope(owned_by=within))
        found = repository.student_page(session, query)
        assert found.rows
        for row in found.rows:
            plan = session.get(Hoks, row.hoks_id)
            assert plan is not None
            assert plan.oppilaitos_oid == SCHOOL_1
            assert " virtanen" in plan.search_name


def _migration() -> ModuleType:
    versions = Path(repository.__file__).parents[1] / "migrations" / "versions"
    path = next(versions.glob("0024_*.py"))
    spec = importlib.util.spec_from_file_location("name_words_migration", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _word_rows(session: Session) -> set[tuple[Any, ...]]:
    found = session.execute(
        select(
            HoksNameWord.hoks_id, HoksNameWord.owner_oid, HoksNameWord.word, HoksNameWord.sort_name
        )
    )
    return {tuple(row) for row in found}


def test_the_rows_follow_writes_and_the_backfill_makes_the_same(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
):
    # Renamed students in statements of three (of the ten renamed), as a large import's are.
    monkeypatch.setattr(names, "RENAMES_PER_STATEMENT", 3)
    _write_plans(session_factory)
    with session_factory() as session:
        kept = _word_rows(session)
        live = session.execute(
            select(Hoks.id, Hoks.oppilaitos_oid, Hoks.koulutustoimija_oid, Hoks.sort_name).where(
                Hoks.deleted_at.is_(None)
            )
        ).all()
        # What the writes left is what the plans' current names and owners give.
        expected = {
            (hoks_id, owner, word, name)
            for hoks_id, school, provider, name in live
            for owner in {school, provider} - {None}
            for word in name_words(name)
        }
        assert kept == expected
        assert any(" " not in word and word for _, _, word, _ in kept)
        session.execute(delete(HoksNameWord))
        dialect = session.get_bind().dialect.name
        session.execute(text(_migration().backfill_statement(dialect)))
        assert _word_rows(session) == kept
        session.rollback()
