"""A threading HTTP server for stand-ins whose clients may give up on an answer."""

from __future__ import annotations

import sys
from http.server import ThreadingHTTPServer
from typing import Any


class QuietThreadingHTTPServer(ThreadingHTTPServer):
    """Prints no traceback when the client of an answer has gone away.

    A test that lets its client time out on a slow answer ends before the handler writes; the
    write then fails in the handler's thread while a later test runs, and socketserver's
    traceback on standard error lands in that test's captured output (a CLI test comparing its
    error output failed on it). Any other error is still printed.
    """

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)
