"""The migrations form one line: file NNNN_*.py holds revision NNNN, which follows NNNN-1.

Two branches that each add a migration with the same number, or renumber them differently, merge
without a textual conflict; this catches the result before any database is upgraded.
"""

from __future__ import annotations

import ast
from pathlib import Path

import ehoks.migrations

VERSIONS = Path(ehoks.migrations.__file__).parent / "versions"


def _assigned(path: Path, name: str) -> object:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{path.name} assigns no {name}")


def test_each_migration_follows_the_one_before() -> None:
    files = sorted(VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))
    numbers = [int(path.name[:4]) for path in files]
    assert numbers == list(range(1, len(files) + 1)), [path.name for path in files]
    for path, number in zip(files, numbers, strict=True):
        assert _assigned(path, "revision") == f"{number:04d}", path.name
        expected_parent = None if number == 1 else f"{number - 1:04d}"
        assert _assigned(path, "down_revision") == expected_parent, path.name
