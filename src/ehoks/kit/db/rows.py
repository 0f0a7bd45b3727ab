"""Inserting many rows into a table with one statement whose text does not grow with them.

A multi-row `INSERT … VALUES (…), (…)` (what SQLAlchemy sends for an insert of many rows with
RETURNING) has one placeholder per value: a batch of 900 surveys of 19 columns is a statement of
17 000 placeholders, and psycopg parses such a statement's text in Python every time it is sent
(it caches only short ones). That parsing was a third of a batch create's CPU time.

On PostgreSQL, `insert_rows` sends each column's values as one array instead:

    INSERT INTO t (a, b) SELECT unnest(CAST($1 AS INTEGER[])), unnest(CAST($2 AS TEXT[]))

whose text is the same for every batch (prepared once by the driver); the arrays are written
by `ehoks.kit.db.arrays` (psycopg's own list writer escapes each double quote in Python, which a
column of JSON documents is full of). On SQLite, whose driver parses nothing in Python, the rows
go as the usual insert of many rows. Either way the rows' values pass through their columns'
types (a JSON column's value is serialised, a UTC timestamp converted) exactly as a Core insert's
would.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Column, Row, Table, bindparam, cast, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.sql.dml import Insert

POSTGRESQL = "postgresql"


def insert_rows(
    session: Session,
    model: type[DeclarativeBase],
    rows: Sequence[dict[str, Any]],
    *,
    returning: Sequence[str] = (),
    skip_conflicts_on: str | None = None,
) -> Sequence[Row[*tuple[Any, ...]]]:
    """Insert `rows` (column values by name, every row the same columns) into `model`'s table in
    the session's transaction; the `returning` columns of the rows inserted, in no promised order.

    `skip_conflicts_on`: a row whose value of this unique column is taken is left out
    (ON CONFLICT DO NOTHING). A column a row leaves out gets its Python-side default.
    """
    if not rows:
        return []
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    names = tuple(rows[0])
    defaults = _python_defaults(table, names)
    dialect = session.get_bind().dialect.name
    connection = session.connection()
    if dialect != POSTGRESQL:
        statement = _values_insert(table, dialect, tuple(returning), skip_conflicts_on)
        values = [{**row, **{name: make() for name, make in defaults}} for row in rows]
        result = connection.execute(statement, values)
        return result.all() if returning else []
    columns = (*names, *(name for name, _ in defaults))
    statement = _array_insert(table, columns, tuple(returning), skip_conflicts_on)
    arrays = {f"all_{name}": [row[name] for row in rows] for name in names}
    for name, make in defaults:
        arrays[f"all_{name}"] = [make() for _ in rows]
    result = connection.execute(statement, arrays)
    return result.all() if returning else []


def _python_defaults(table: Table, given: tuple[str, ...]) -> list[tuple[str, Any]]:
    """(name, a maker of its default) of the columns left out that have a Python-side default."""
    makers: list[tuple[str, Any]] = []
    for column in table.columns:
        default = column.default
        if column.key in given or default is None:
            continue
        if getattr(default, "is_scalar", False):
            value = default.arg  # type: ignore[attr-defined]
            makers.append((column.key, lambda value=value: value))
        elif getattr(default, "is_callable", False):
            function = default.arg  # type: ignore[attr-defined]
            makers.append((column.key, lambda function=function: function(None)))
    return makers


@cache
def _values_insert(
    table: Table, dialect: str, returning: tuple[str, ...], skip_conflicts_on: str | None
) -> Insert:
    if skip_conflicts_on is None:
        statement = insert(table)
    else:
        builder = postgresql.insert if dialect == POSTGRESQL else sqlite.insert
        statement = builder(table).on_conflict_do_nothing(index_elements=[skip_conflicts_on])
    if returning:
        statement = statement.returning(*(table.c[name] for name in returning))
    return statement


@cache
def _array_insert(
    table: Table, names: tuple[str, ...], returning: tuple[str, ...], skip_conflicts_on: str | None
) -> Insert:
    """INSERT … SELECT unnest(array), … for these columns (PostgreSQL unnests the arrays of one
    SELECT list side by side, row by row)."""
    columns: list[Column[Any]] = [table.c[name] for name in names]
    unnested = [
        func.unnest(
            cast(
                bindparam(f"all_{column.key}", type_=postgresql.ARRAY(column.type)),
                postgresql.ARRAY(column.type),
            )
        )
        for column in columns
    ]
    statement = postgresql.insert(table).from_select(columns, select(*unnested))
    if skip_conflicts_on is not None:
        statement = statement.on_conflict_do_nothing(index_elements=[skip_conflicts_on])
    if returning:
        return statement.returning(*(table.c[name] for name in returning))
    return statement
