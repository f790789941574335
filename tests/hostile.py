"""Hostile strings and a loopback listener, for tests that every output escapes what it shows.

``payloads(port, secret)`` gives strings that try to break out of HTML text, attributes, a CSS
string in ``<style>`` (the PDF footer), SVG and CSV, and to make a renderer read
``secret`` (a local file) or call ``127.0.0.1:port``. ``Listener`` counts every connection to
its port, HTTP or not.
"""

from __future__ import annotations

import socket
import threading
from html.parser import HTMLParser
from pathlib import Path
from types import TracebackType

SECRET_TEXT = "SECRET-FILE-CONTENT-7f3a9"


def payloads(port: int, secret: Path) -> list[str]:
    url = f"http://127.0.0.1:{port}"
    file = secret.as_uri()
    return [
        f"</style><link rel=attachment href={file}>",
        f"<img src={url}/img>",
        f'"; }} @import url({url}/import); a {{ content: "',
        f'\\"; background: url({url}/bg) ',
        f"</title><iframe src={file}></iframe>",
        f"<object data={file}></object><embed src={file}>",
        f"<svg><image href='{url}/svg'/></svg>",
        f"<a rel=attachment href={file}>x</a>",
        f"<link rel=stylesheet href={url}/css>",
        f"<style>@font-face {{ font-family: x; src: url({url}/font) }}</style>",
        f"<meta http-equiv=refresh content='0;url={url}/meta'>",
        '=HYPERLINK("http://127.0.0.1/","x")',
        "bidi \u202e txet \u202c and NUL-free controls",
    ]


def hostile_name(port: int, secret: Path) -> str:
    """One string carrying every payload (a family name a therapist could type)."""
    return "Pat " + " ".join(payloads(port, secret))


class Listener:
    """A TCP listener on 127.0.0.1 that counts connections (a renderer must make none)."""

    def __init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self.port: int = self._sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            try:
                conn.sendall(b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            finally:
                conn.close()

    def __enter__(self) -> Listener:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()
        self._sock.close()


#: elements that load something; a renderer emits none of them from text
FETCHING = {"link", "img", "iframe", "object", "embed", "meta", "script", "base", "frame"}
URL_ATTRIBUTES = {"href", "xlink:href", "src", "data", "srcset", "action", "formaction"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def injected_elements(html: str, port: int) -> list[str]:
    """Elements, attributes or CSS in ``html`` that reach a file, the listener's port or any
    other origin: what a hostile string would add if it were not escaped."""
    parser = _Tags()
    parser.feed(html)
    bad = []
    for tag, attrs in parser.found:
        urls = [v or "" for k, v in attrs.items() if k in URL_ATTRIBUTES]
        # text attributes (aria-label, title, alt) may hold the name, escaped
        values = " ".join([*urls, attrs.get("style") or ""])
        foreign = [u for u in urls if not u.startswith(("/", "#", "data:")) or u.startswith("//")]
        if (
            "file:" in values
            or f":{port}" in values
            or attrs.get("rel") == "attachment"
            or (tag == "meta" and "http-equiv" in attrs)
            or (tag in FETCHING and foreign)
        ):
            bad.append(f"<{tag} {attrs}>")
    for css in parser.styles:
        if f":{port}" in css or "file:" in css or "@import" in css:
            bad.append(f"style: {css[:200]}")
    return bad
