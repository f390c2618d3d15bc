"""Product photos stored on disk: served by path, and uploaded by sellers (through the bot)."""

from __future__ import annotations

from fastapi import APIRouter, UploadFile, status
from fastapi.responses import FileResponse

from marketplace.api.deps import SettingsDep
from marketplace.api.routing import ReleasingRoute
from marketplace.services.errors import NotFound
from marketplace.services.photos import MAX_BYTES, store_photo

router = APIRouter(tags=["media"], route_class=ReleasingRoute)


@router.get("/media/{path:path}")
def media(path: str, settings: SettingsDep) -> FileResponse:
    """A stored file, never anything outside the media folder."""
    root = settings.media_dir.resolve()
    target = (root / path).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        raise NotFound("no such file")
    return FileResponse(target)


@router.post("/media", status_code=status.HTTP_201_CREATED)
def upload(file: UploadFile, settings: SettingsDep) -> dict[str, str]:
    """Store a photo (JPEG, PNG, WebP or GIF, checked by decoding it); answers the path to list it with."""
    data = file.file.read(MAX_BYTES + 1)
    return {"path": store_photo(settings.media_dir, data)}
