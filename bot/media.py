"""Photos from the marketplace: downloaded with the service token, uploaded once, then re-sent by file_id."""

from __future__ import annotations

import httpx
from telegram import InputFile


class MediaCache:
    """Resolves an image reference from Rasa to something `send_photo` accepts."""

    def __init__(self, http: httpx.AsyncClient, marketplace_url: str, service_token: str) -> None:
        self._http = http
        self._base = marketplace_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {service_token}"}
        self._file_ids: dict[str, str] = {}

    def _marketplace_url(self, ref: str) -> str | None:
        if ref.startswith(self._base + "/"):
            return ref
        if "://" not in ref:
            return f"{self._base}/media/{ref.lstrip('/')}"
        return None

    async def resolve(self, ref: str) -> str | InputFile:
        """A cached file_id, the photo's bytes (marketplace media), or a public URL as is."""
        if ref in self._file_ids:
            return self._file_ids[ref]
        url = self._marketplace_url(ref)
        if url is None:
            return ref
        response = await self._http.get(url, headers=self._headers, timeout=5.0)
        response.raise_for_status()
        return InputFile(response.content, filename=ref.rsplit("/", 1)[-1])

    def remember(self, ref: str, file_id: str) -> None:
        """Keep the file_id Telegram gave the upload, so the next send needs no upload."""
        self._file_ids[ref] = file_id
