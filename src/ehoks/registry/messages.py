"""Texts of the registry package's error codes (English; fi and sv in the catalogues).

The registry answers no HTTP request itself yet; its import errors go to operators on the command
line, in English, as `FILE:LINE: reason`.
"""

from __future__ import annotations

from typing import Final

from ehoks.kit.i18n import by_code

MESSAGES: Final = by_code()
