"""A built site on 127.0.0.1, as a reader's browser meets it: for the tests and the benchmark.

Like a static host (GitHub Pages among them), the server answers a missing address with the
site's own 404.html and status 404, and it can serve the site below a path, as a project site
lives at https://<owner>.github.io/<repo>/.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves `directory` at `prefix`; anything else, or anything missing, gets the site's 404 page."""

    def __init__(self, *args: object, directory: str, prefix: str, **kwargs: object) -> None:
        self.prefix = prefix
        super().__init__(*args, directory=directory, **kwargs)  # type: ignore[arg-type]

    def translate_path(self, path: str) -> str:
        local = urlsplit(path).path
        if not local.startswith(self.prefix):
            return str(Path(self.directory) / "\0outside")  # never a file: answered with the 404 page
        return super().translate_path("/" + local[len(self.prefix):])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@contextlib.contextmanager
def serve(directory: Path, prefix: str = "/") -> Iterator[str]:
    """Serve a folder below `prefix` (e.g. "/customer-patterns/") for as long as the block runs; yields its base URL."""
    if not (prefix.startswith("/") and prefix.endswith("/")):
        raise ValueError(f"prefix: expected a path that starts and ends with '/', got {prefix!r}")
    handler = functools.partial(_SiteHandler, directory=str(directory), prefix=prefix)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
