"""Uploaded photos: checked to be real images, stored once under a name made from their content."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from marketplace.services.errors import DomainError

MAX_BYTES = 10 * 1024 * 1024  # Telegram's own limit for photos
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
FOLDER = "uploads"


def store_photo(media_dir: Path, data: bytes) -> str:
    """Save `data` under media_dir/uploads/<sha256>.<ext> (atomically, once) and return that relative path."""
    if not data:
        raise DomainError("the photo is empty")
    if len(data) > MAX_BYTES:
        raise DomainError(f"the photo is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise DomainError("that file is not a photo we can read (JPEG, PNG, WebP or GIF)") from exc
    if kind not in FORMATS:
        raise DomainError(f"{kind} images are not accepted; send a JPEG, PNG, WebP or GIF")
    relative = f"{FOLDER}/{hashlib.sha256(data).hexdigest()[:40]}.{FORMATS[kind]}"
    target = media_dir / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    return relative
