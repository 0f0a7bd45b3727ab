"""The page toolkit: server-rendered Jinja2 pages in Finnish, Swedish and English.

`page_router` makes a router whose routes answer with pages (their errors become pages too);
`render` turns a template and its values into the response. docs/pages.md shows how to add a
page, a text and a translation.
"""

from __future__ import annotations

from ehoks.kit.pages.render import FieldError, page_lang, render
from ehoks.kit.pages.routing import PageRoute, page_router

__all__ = ["FieldError", "PageRoute", "page_lang", "page_router", "render"]
