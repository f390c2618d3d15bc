"""Decode request parameters (JSON, form, multipart) and validate them against the spec."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request

from .errors import bad_request
from .spec import MethodSpec, Param

MISSING_TEXTS = {
    "chat_id": "chat_id is empty",
    "text": "message text is empty",
    "callback_query_id": "query_id is empty",
    "pre_checkout_query_id": "pre_checkout_query_id is empty",
    "file_id": "file_id is empty",
    "message_id": "message_id is empty",
    "from_chat_id": "from_chat_id is empty",
    "action": "action is empty",
    "name": "name is empty",
    "url": "url is empty",
}


@dataclass
class Upload:
    """A file part received in a multipart request."""

    filename: str
    content: bytes
    content_type: str


async def read_raw(request: Request) -> dict[str, Any]:
    """Merge query string and body (JSON, urlencoded or multipart) into one dict."""
    raw: dict[str, Any] = dict(request.query_params)
    ctype = request.headers.get("content-type", "")
    if "application/json" in ctype:
        body = await request.body()
        if body.strip():
            try:
                data = json.loads(body)
            except ValueError as exc:
                raise bad_request("can't parse JSON object") from exc
            if not isinstance(data, dict):
                raise bad_request("can't parse JSON object")
            raw.update(data)
    elif "form" in ctype:
        form = await request.form(max_part_size=64 * 1024 * 1024)
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                content = await value.read()
                raw[key] = Upload(value.filename or key, content, value.content_type or "")
            else:
                raw[key] = value
    return raw


def _coerce(value: Any, param: Param, uploads: dict[str, Any]) -> Any:
    """Convert one raw value to the Python value its spec types imply."""
    types = param.types
    if isinstance(value, Upload):
        return value
    if isinstance(value, str) and value.startswith("attach://") and "InputFile" in types:
        part = uploads.get(value[len("attach://") :])
        if part is None:
            raise bad_request(f"file {value} not found in the request")
        return part
    if not isinstance(value, str):
        return value
    if "Integer" in types:
        try:
            return int(value)
        except ValueError:
            if "String" in types:
                return value
            raise bad_request(f"invalid {param.name} specified") from None
    if "Float" in types:
        try:
            return float(value)
        except ValueError:
            raise bad_request(f"invalid {param.name} specified") from None
    if "Boolean" in types or "True" in types:
        return value.lower() in ("true", "1", "yes", "on")
    if "String" in types:
        return value
    try:
        return json.loads(value)
    except ValueError:
        raise bad_request(f"can't parse {param.name} JSON object") from None


def missing_text(name: str, param: Param) -> str:
    """Telegram-like description for a missing required parameter."""
    if "InputFile" in param.types:
        return f"there is no {name} in the request"
    return MISSING_TEXTS.get(name, f"{name} is empty")


def validate(spec: MethodSpec, raw: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Coerce known params, fail on missing required ones; return (params, unknown names)."""
    uploads = {k: v for k, v in raw.items() if isinstance(v, Upload)}
    out: dict[str, Any] = {}
    unknown: list[str] = []
    for key, value in raw.items():
        param = spec.params.get(key)
        if param is None:
            if not (isinstance(value, Upload) and _is_attached(key, raw)):
                unknown.append(key)
            out[key] = value  # an attached upload stays reachable for the InputMedia that names it
            continue
        out[key] = _coerce(value, param, uploads)
    for name, param in spec.params.items():
        if param.required and (out.get(name) is None or out.get(name) == ""):
            raise bad_request(missing_text(name, param))
    return out, unknown


def _is_attached(key: str, raw: dict[str, Any]) -> bool:
    """Whether an upload part is referenced via attach://key from another parameter."""
    ref = f"attach://{key}"
    return any(isinstance(v, str) and ref in v for v in raw.values())
