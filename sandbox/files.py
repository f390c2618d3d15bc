"""File storage: uploads, file_id reuse, PhotoSize generation and image dimension sniffing."""

from __future__ import annotations

import base64
import hashlib
import secrets
import struct
from typing import Any

from .errors import bad_request
from .params import Upload
from .state import Json, State, StoredFile

# 1x1 transparent PNG used when a photo is given by URL (the sandbox has no internet).
PLACEHOLDER_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAA"
    "AABJRU5ErkJggg=="
)
PHOTO_SIDES = (90, 320, 800, 1280)


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, GIF or JPEG, or None when unknown."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        w, h = struct.unpack(">II", data[16:24])
        return int(w), int(h)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        w, h = struct.unpack("<HH", data[6:10])
        return int(w), int(h)
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            length = struct.unpack(">H", data[i + 2 : i + 4])[0]
            if marker in (
                0xC0,
                0xC1,
                0xC2,
                0xC3,
                0xC5,
                0xC6,
                0xC7,
                0xC9,
                0xCA,
                0xCB,
                0xCD,
                0xCE,
                0xCF,
            ):
                h, w = struct.unpack(">HH", data[i + 5 : i + 9])
                return int(w), int(h)
            i += 2 + length
    return None


def new_file(
    state: State,
    content: bytes,
    folder: str,
    ext: str,
    mime: str = "",
    name: str = "",
    source_url: str | None = None,
) -> StoredFile:
    """Store content under fresh Telegram-looking file_id / file_unique_id."""
    unique = (
        "AQAD"
        + base64.urlsafe_b64encode(
            hashlib.sha256(content + secrets.token_bytes(4)).digest()[:9]
        ).decode()
    )
    file_id = "AgACAgIAAxkBAAI" + secrets.token_urlsafe(48)[:60]
    path = f"{folder}/file_{len(state.files)}.{ext}"
    stored = StoredFile(file_id, unique, content, path, mime, name, source_url)
    state.files[file_id] = stored
    return stored


def lookup(state: State, file_id: str) -> StoredFile:
    """Stored file by id with Telegram's error when unknown."""
    stored = state.files.get(file_id)
    if stored is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    return stored


def photo_sizes(state: State, value: Any) -> list[Json]:
    """Turn an uploaded photo, URL or file_id into a PhotoSize list (smallest first)."""
    if isinstance(value, str) and not value.startswith(("http://", "https://")):
        stored = lookup(state, value)
        return list(state_photo_set(state, stored))
    if isinstance(value, Upload):
        if not value.content:
            raise bad_request("file must be non-empty")
        content, url = value.content, None
        width, height = image_size(content) or (512, 512)
    else:
        content, url, (width, height) = PLACEHOLDER_PNG, str(value), (1280, 960)
    largest = max(width, height)
    sides = [s for s in PHOTO_SIDES if s < largest] + [min(largest, 2560)]
    out = []
    for side in sides:
        scale = side / largest
        stored = new_file(state, content, "photos", "jpg", "image/jpeg", source_url=url)
        size = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": max(1, round(width * scale)),
            "height": max(1, round(height * scale)),
            "file_size": len(content),
        }
        out.append(size)
    state.photo_sets.update({s["file_id"]: out for s in out})
    return out


def state_photo_set(state: State, stored: StoredFile) -> list[Json]:
    """The PhotoSize list an existing photo file_id belongs to."""
    photos = state.photo_sets.get(stored.file_id)
    if photos is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    return photos


def document(state: State, value: Any) -> Json:
    """Turn an uploaded document or file_id into a Document object."""
    if isinstance(value, str) and not value.startswith(("http://", "https://")):
        stored = lookup(state, value)
    elif isinstance(value, Upload):
        ext = value.filename.rsplit(".", 1)[-1] if "." in value.filename else "bin"
        stored = new_file(
            state, value.content, "documents", ext, value.content_type, value.filename
        )
    else:
        name = str(value).rsplit("/", 1)[-1] or "file"
        stored = new_file(
            state, b"", "documents", "bin", "application/octet-stream", name, str(value)
        )
    doc: Json = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
    }
    if stored.file_name:
        doc["file_name"] = stored.file_name
    if stored.mime_type:
        doc["mime_type"] = stored.mime_type
    return doc
