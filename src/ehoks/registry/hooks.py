"""What the registry import tells others: "persons were renamed".

An import that changes the name of a person already stored notifies `PERSONS_RENAMED` in its own
transaction, so that copies of the name elsewhere (the HOKS rows' sort names) change with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ehoks.kit.hooks import Hook


@dataclass(frozen=True, slots=True)
class PersonRenamed:
    oppija_oid: str
    first_names: str | None
    last_name: str | None


PERSONS_RENAMED: Hook[PersonRenamed] = Hook("persons renamed")
