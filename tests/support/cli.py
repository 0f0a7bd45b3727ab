"""`ehoks …` inside the test process: the command's own code with its arguments, standard input
and settings from the environment, without the second or two a new Python process takes to
start. Tests about the process itself (its exit status as the shell sees it, `python -m ehoks`)
start one with `tests.support.process`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from click.testing import CliRunner, Result

from ehoks.cli import main
from ehoks.config import get_settings


def ehoks(*args: str | Path, env: Mapping[str, str], stdin: bytes | str | None = None) -> Result:
    """Run `ehoks ARGS` with exactly the EHOKS_ settings in `env` (the test process's own are
    hidden, as `clean_environment` does for a process). The result has the exit code, stdout
    and stderr apart; an exception the command does not handle fails the test."""
    settings: dict[str, str | None] = dict.fromkeys(
        (name for name in os.environ if name.startswith("EHOKS_")), None
    )
    settings.update(env)
    get_settings.cache_clear()  # the settings are read again from this environment
    try:
        return CliRunner().invoke(
            main, [str(arg) for arg in args], input=stdin, env=settings, catch_exceptions=False
        )
    finally:
        get_settings.cache_clear()


def ehoks_ok(*args: str | Path, env: Mapping[str, str]) -> Result:
    """`ehoks(...)` that must succeed: its error line fails the test."""
    result = ehoks(*args, env=env)
    assert result.exit_code == 0, result.stderr
    return result
