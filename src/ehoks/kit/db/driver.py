"""Statements a hot route runs on every request, run on PostgreSQL as the driver's own SQL text.

`Connection.execute` of a built statement does, on every run and besides the driver's own work,
SQLAlchemy's: the compiled form looked up by the statement's cache key, every parameter
constructed, each list parameter (`bindparam(..., expanding=True)`) rendered into the text
again, and the result's rows built from its compiled columns. For a staff search's page that was
0.27 ms of CPU against 0.08 ms for the driver running the same text (bench/README.md).

`rows` does that work once per statement and per lengths of its list values: the text the
dialect compiles, with each list's values as placeholders of their own (as SQLAlchemy renders
it, `SQLCompiler.construct_expanded_state`), the values the statement holds itself, and the
values' and columns' type processors. Each run then only binds the request's values and runs
the text with `Connection.exec_driver_sql`, so that everything else stays SQLAlchemy's: errors
(wrapped, a dropped connection invalidated), the engine's events (`kit.db.engine`'s planning per
run of a statement that asks for it, by its execution options) and the transaction.

On other databases (SQLite), `rows` is `Connection.execute` as before.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import Connection, Dialect
from sqlalchemy.sql import ClauseElement, Executable
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any]
# Statement objects whose driver form is kept (least recently used out first). A hot route's
# statements are few: module constants, and a list's statements per shape (`kit.db.shapes`).
MAX_FORMS: Final = 1024


@dataclass(slots=True)
class DriverForm:
    """A statement as the driver runs it: its texts (one per lengths of its list values), the
    values it holds itself, and its type processors."""

    compiled: SQLCompiler
    lists: tuple[str, ...]  # the list (expanding) parameters' names
    own_values: dict[str, Any]  # values the statement holds itself (its literals, its lists)
    processors: dict[str, Processor]  # of the parameters that are not lists, by name
    results: tuple[Processor | None, ...] | None  # by column; None: rows as they come
    options: Mapping[str, Any]  # the statement's execution options
    texts: dict[tuple[int, ...], tuple[str, dict[str, list[str]], dict[str, Processor]]] = field(
        default_factory=dict
    )

    def bound(self, values: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        """The text for these values' list lengths, and the driver's parameters."""
        parameters = {**self.own_values, **values}
        lengths = tuple(len(parameters[name]) for name in self.lists)
        known = self.texts.get(lengths)
        if known is None:
            state = self.compiled.construct_expanded_state(parameters)
            expansion = {name: list(state.parameter_expansion.get(name, ())) for name in self.lists}
            # The expanded lists' processors, and those of the values bound as they are.
            known = (state.statement, expansion, {**state.processors, **self.processors})
            self.texts[lengths] = known
        text, expansion, processors = known
        for name, names in expansion.items():
            parameters.update(zip(names, parameters.pop(name), strict=True))
        for name, process in processors.items():
            if name in parameters:
                parameters[name] = process(parameters[name])
        return text, parameters


def rows(
    connection: Connection, statement: ClauseElement, values: Mapping[str, Any]
) -> list[Sequence[Any]]:
    """The statement's rows (none for one that returns none) for `values`, run on the driver's
    text on PostgreSQL (see the module's docstring), else through `Connection.execute`."""
    dialect = connection.dialect
    if dialect.name != "postgresql":
        result = connection.execute(statement, dict(values))  # type: ignore[call-overload]
        return list(result.all()) if result.returns_rows else []
    form = _form_of(statement, dialect)
    if form is None:
        result = connection.execute(statement, dict(values))  # type: ignore[call-overload]
        return list(result.all()) if result.returns_rows else []
    text, parameters = form.bound(values)
    result = connection.exec_driver_sql(text, parameters, execution_options=form.options)
    if not result.returns_rows:
        return []
    found: list[Sequence[Any]] = list(result.all())
    if form.results is None:
        return found
    processors = form.results
    return [
        tuple(v if p is None else p(v) for p, v in zip(processors, row, strict=True))
        for row in found
    ]


_forms: OrderedDict[int, tuple[ClauseElement, DriverForm | None]] = OrderedDict()
_forms_lock = threading.Lock()


def _form_of(statement: ClauseElement, dialect: Dialect) -> DriverForm | None:
    # Keyed by the object's identity; the entry holds the object, so the identity is not reused
    # while the entry is kept.
    key = id(statement)
    with _forms_lock:
        found = _forms.get(key)
        if found is not None and found[0] is statement:
            _forms.move_to_end(key)
            return found[1]
    form = driver_form(statement, dialect)
    with _forms_lock:
        _forms[key] = (statement, form)
        while len(_forms) > MAX_FORMS:
            _forms.popitem(last=False)
    return form


def driver_form(statement: ClauseElement, dialect: Dialect) -> DriverForm | None:
    """Compile `statement` for `dialect` once: what `rows` runs it with; None for a statement
    whose parameters are not plain values by plain names (run through `Connection.execute`)."""
    compiled = statement.compile(dialect=dialect)
    if not isinstance(compiled, SQLCompiler) or compiled.positional or compiled.escaped_bind_names:
        return None
    # By the names they have in the text (`binds` also holds anonymous ones by their keys).
    named = {name: bind for bind, name in compiled.bind_names.items()}
    if any(bind.callable is not None or bind.literal_execute for bind in named.values()):
        return None
    lists = tuple(name for name, bind in named.items() if bind.expanding)
    own = {name: bind.effective_value for name, bind in named.items() if not bind.required}
    binds = {
        name: bind.type.dialect_impl(dialect).bind_processor(dialect)
        for name, bind in named.items()
        if not bind.expanding
    }
    columns = getattr(statement, "exported_columns", ())
    by_column = tuple(
        column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
    )
    results = by_column if any(p is not None for p in by_column) else None
    options = dict(statement.get_execution_options()) if isinstance(statement, Executable) else {}
    processors: dict[str, Processor] = {
        name: process for name, process in binds.items() if process is not None
    }
    return DriverForm(compiled, lists, own, processors, results, options)
