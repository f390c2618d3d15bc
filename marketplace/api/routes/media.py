"""Product photos stored on disk."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from marketplace.api.deps import SettingsDep
from marketplace.services.errors import NotFound

router = APIRouter(tags=["media"])


@router.get("/media/{path:path}")
def media(path: str, settings: SettingsDep) -> FileResponse:
    """A stored file, never anything outside the media folder."""
    root = settings.media_dir.resolve()
    target = (root / path).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        raise NotFound("no such file")
    return FileResponse(target)
