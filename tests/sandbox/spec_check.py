"""Independent recursive checker: does a JSON value carry every field api.json requires?"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from sandbox.spec import default_spec_path

SCALAR = {"Integer": int, "Float": (int, float), "String": str, "Boolean": bool, "True": bool}


@lru_cache(maxsize=1)
def api() -> dict[str, Any]:
    """Raw api.json."""
    with open(default_spec_path(), encoding="utf-8") as fh:
        return json.load(fh)


def problems(value: Any, types: list[str] | str, path: str = "$") -> list[str]:
    """Problems of value against a union of type expressions (empty list = conforms)."""
    types = [types] if isinstance(types, str) else types
    results = [_one(value, t, path) for t in types]
    return [] if any(not r for r in results) else min(results, key=len)


def _one(value: Any, t: str, path: str) -> list[str]:
    """Check one type expression."""
    if t.startswith("Array of "):
        if not isinstance(value, list):
            return [f"{path}: not an array"]
        return [p for i, v in enumerate(value) for p in problems(v, t[9:], f"{path}[{i}]")]
    if t in SCALAR:
        ok = isinstance(value, SCALAR[t]) and (
            t in ("Boolean", "True") or not isinstance(value, bool)
        )
        return [] if ok else [f"{path}: {value!r} is not {t}"]
    spec = api()["types"][t]
    if spec.get("subtypes"):
        return problems(value, spec["subtypes"], path)
    if not isinstance(value, dict):
        return [f"{path}: not an object ({t})"]
    fields = {f["name"]: f for f in spec.get("fields", [])}
    out = [
        f"{path}: {t} misses required {n}"
        for n, f in fields.items()
        if f["required"] and n not in value
    ]
    for key, item in value.items():
        if key not in fields:
            out.append(f"{path}: {t} has unknown field {key}")
        else:
            out += problems(item, fields[key]["types"], f"{path}.{key}")
    return out


def method_returns(method: str) -> list[str]:
    """Return type union of a method."""
    return next(
        m["returns"] for m in api()["methods"].values() if m["name"].lower() == method.lower()
    )
