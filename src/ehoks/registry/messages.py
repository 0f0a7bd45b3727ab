"""Texts of the registry package's error codes in fi/sv/en.

The registry answers no HTTP request itself yet; its import errors go to operators on the command
line, in English, as `FILE:LINE: reason`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ehoks.kit.i18n import Translations

MESSAGES: dict[str, Translations] = {}
