"""HTML to PDF with WeasyPrint, loading nothing from files or the network.

The documents carry their figures as inline SVG and their styles inline, so a PDF needs no
outside resource. The URL fetcher allows ``data:`` URLs only and refuses everything else
(``file:``, ``http(s):``, relative URLs, any other scheme): a refused resource is left out of
the document and logged, never fetched. This holds even if escaping somewhere failed and a
hostile ``<link rel=attachment href=file:…>`` or ``<img src=http://…>`` reached the HTML.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

ALLOWED_SCHEMES = frozenset({"data"})


class RefusedResource(ValueError):
    """A document asked for a resource outside the allow-list."""


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int


def _scheme(url: str) -> str:
    head, sep, _ = url.partition(":")
    return head.strip().lower() if sep and head.isascii() and head.strip().isalnum() else ""


def _fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves ``data:`` URLs and refuses the rest (fails closed)."""
    from weasyprint.urls import URLFetcher

    class DataOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(allowed_protocols=ALLOWED_SCHEMES, allow_redirects=False)

        def fetch(self, url: str, headers: Any = None) -> Any:
            if _scheme(url) not in ALLOWED_SCHEMES:
                log.warning("PDF rendering refused a resource: %.200r", url)
                raise RefusedResource(f"resource not allowed in a document: {url[:200]!r}")
            return super().fetch(url, headers)

    return DataOnlyFetcher()


def to_pdf(html: str) -> Pdf:
    """Lay out ``html``; the page size comes from the document's ``@page`` rule."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=None, url_fetcher=_fetcher()).render()
    return Pdf(document.write_pdf(), len(document.pages))
