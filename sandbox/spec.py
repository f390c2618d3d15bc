"""Bot API spec loader: methods, parameters, required fields and a recursive object checker."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

ENV_VAR = "TELEGRAM_API_SPEC"
PACKAGED = Path(__file__).resolve().parent / "spec" / "api.json"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "telegram-bot-api" / "api.json"
SCALARS = {"Integer", "Float", "String", "Boolean", "True", "InputFile"}


@dataclass(frozen=True)
class Param:
    """One method parameter or object field."""

    name: str
    types: tuple[str, ...]
    required: bool


@dataclass
class MethodSpec:
    """One Bot API method."""

    name: str
    params: dict[str, Param]
    returns: tuple[str, ...]


@dataclass
class TypeSpec:
    """One Bot API object type."""

    name: str
    fields: dict[str, Param] = field(default_factory=dict)
    subtypes: tuple[str, ...] = ()

    @property
    def required(self) -> list[str]:
        """Names of fields the spec marks required."""
        return [f.name for f in self.fields.values() if f.required]


def default_spec_path() -> Path:
    """Resolve the spec path: $TELEGRAM_API_SPEC, then the packaged copy, then ../shared."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    return PACKAGED if PACKAGED.exists() else SHARED


def _params(raw: list[dict[str, Any]]) -> dict[str, Param]:
    """Convert raw spec fields into Param objects."""
    return {f["name"]: Param(f["name"], tuple(f["types"]), bool(f["required"])) for f in raw}


class Spec:
    """Parsed api.json with lookups used by the server and the tests."""

    def __init__(self, data: dict[str, Any]) -> None:
        """Index methods (case-insensitively) and types."""
        self.version: str = data.get("version", "")
        self.methods: dict[str, MethodSpec] = {}
        for m in data["methods"].values():
            spec = MethodSpec(m["name"], _params(m.get("fields", [])), tuple(m["returns"]))
            self.methods[m["name"].lower()] = spec
        self.types: dict[str, TypeSpec] = {
            t["name"]: TypeSpec(
                t["name"], _params(t.get("fields", [])), tuple(t.get("subtypes", []))
            )
            for t in data["types"].values()
        }

    def method(self, name: str) -> MethodSpec | None:
        """Look up a method case-insensitively."""
        return self.methods.get(name.lower())

    def required_fields(self, type_name: str) -> list[str]:
        """Required field names of an object type."""
        return self.types[type_name].required

    def check(
        self,
        value: Any,
        types: tuple[str, ...] | list[str] | str,
        path: str = "$",
        strict: bool = True,
    ) -> list[str]:
        """Return problems found checking value against a union of spec type expressions."""
        if isinstance(types, str):
            types = (types,)
        best: list[str] | None = None
        for t in types:
            problems = self._check_one(value, t, path, strict)
            if not problems:
                return []
            if best is None or len(problems) < len(best):
                best = problems
        return best or [f"{path}: no type in {list(types)}"]

    def _check_one(self, value: Any, t: str, path: str, strict: bool) -> list[str]:
        """Check value against one type expression."""
        if t.startswith("Array of "):
            if not isinstance(value, list):
                return [f"{path}: expected {t}, got {type(value).__name__}"]
            out: list[str] = []
            for i, item in enumerate(value):
                out += self.check(item, (t[len("Array of ") :],), f"{path}[{i}]", strict)
            return out
        if t in SCALARS:
            return [] if _scalar_ok(value, t) else [f"{path}: expected {t}, got {value!r:.60}"]
        spec = self.types.get(t)
        if spec is None:
            return [f"{path}: unknown type {t}"]
        if spec.subtypes:
            return self.check(value, spec.subtypes, path, strict)
        if not isinstance(value, dict):
            return [f"{path}: expected {t} object, got {type(value).__name__}"]
        out = [f"{path}: {t} lacks required field '{n}'" for n in spec.required if n not in value]
        for key, item in value.items():
            f = spec.fields.get(key)
            if f is None:
                if strict:
                    out.append(f"{path}: {t} has field '{key}' not in the spec")
                continue
            out += self.check(item, f.types, f"{path}.{key}", strict)
        return out


def _scalar_ok(value: Any, t: str) -> bool:
    """Whether a JSON value matches a scalar spec type."""
    if t == "Integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if t == "Float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if t == "String":
        return isinstance(value, str)
    if t == "Boolean":
        return isinstance(value, bool)
    if t == "True":
        return value is True
    return True


@lru_cache(maxsize=4)
def _load_cached(path: str) -> Spec:
    """Parse and cache a spec file by path."""
    with open(path, encoding="utf-8") as fh:
        return Spec(json.load(fh))


def load_spec(path: str | Path | None = None) -> Spec:
    """Load the spec from path or the default location."""
    return _load_cached(str(Path(path) if path else default_spec_path()))
