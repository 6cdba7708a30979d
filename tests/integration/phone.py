"""A phone in tests: httpx opens an upload link's per-link form without credentials and
POSTs files to the bucket exactly as `privet_tui/data/phone_upload.html` does."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlsplit

import httpx


def open_form(url: str) -> dict[str, Any]:
    """The per-link JSON the page reads (`…/<bucket>/u/<token>`), fetched anonymously."""
    page, _, token = url.partition("#")
    response = httpx.get(f"{page}/{token}", timeout=10)
    response.raise_for_status()
    form: dict[str, Any] = response.json()
    return form


def bucket_url(url: str) -> str:
    """Where the page POSTs: the bucket's URL, the page's own origin."""
    parts = urlsplit(url)
    bucket = parts.path.strip("/").split("/")[0]
    return f"{parts.scheme}://{parts.netloc}/{bucket}/"


def post_file(
    url: str,
    name: str,
    data: bytes,
    content_type: str = "image/jpeg",
    *,
    form: dict[str, Any] | None = None,
    key: str | None = None,
) -> httpx.Response:
    """One file through the form, under the link's prefix unless `key` says otherwise."""
    form = form or open_form(url)
    fields = {
        "key": key or f"{form['prefix']}{secrets.token_hex(8)}-{name}",
        "Content-Type": content_type,
        **form["fields"],
    }
    return httpx.post(
        bucket_url(url), data=fields, files={"file": (name, data, content_type)}, timeout=30
    )
