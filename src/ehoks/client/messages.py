"""Texts for error codes raised by the `client` package.

The bearer dependency raises only service-wide codes (`not_authenticated`, `forbidden`,
`missing_caller_id`, in `ehoks.kit.messages`), and the token endpoint answers in the RFC 6749
§5.2 shape with English ASCII descriptions, as that section requires. So this package adds no
codes of its own; the catalogue still merges this module, ready for the first one.
"""

from __future__ import annotations

from typing import Final

from ehoks.kit.i18n import by_code

MESSAGES: Final = by_code()
