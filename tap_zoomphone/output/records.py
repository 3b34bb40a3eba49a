"""Making each record match its schema in one cheap pass, in place.

Zoom's records are already JSON, so the SDK's general type conformance (the largest per-record
cost) is replaced by a plan compiled once from the schema and the catalog selection. Fields are
checked in groups with C-level set operations (all strings at once, all integers at once), and
only a group that fails is looked at field by field: keep what is right (nearly everything),
coerce what is not (a number sent as a string, a date-time with a space), drop what is
deselected or unknown to the schema (one warning per field name).
"""

from __future__ import annotations

import datetime
import decimal
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tap_zoomphone.zoom.moments import read_moment, utc

if TYPE_CHECKING:
    import logging

Converter = Callable[[object], object]
Breadcrumb = tuple[str, ...]

TRUE_WORDS = frozenset({"true", "yes", "1"})
FALSE_WORDS = frozenset({"false", "no", "0"})
ZOOM_TIME_LENGTH = len("2026-01-01T00:00:00Z")


def _to_datetime(value: object) -> str | None:
    if isinstance(value, str):
        read = read_moment(value)
        if read is None:
            return None
        moment = read
    elif isinstance(value, int | float) and not isinstance(value, bool):
        # Epoch seconds or milliseconds.
        seconds = value / 1000 if value > 10**11 else value
        moment = datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    else:
        return None
    return utc(moment).isoformat().replace("+00:00", "Z")


def _to_integer(value: object) -> int | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float | decimal.Decimal):
        return int(value) if math.isfinite(value) and value % 1 == 0 else None
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            try:
                number = float(value)
            except ValueError:
                return None
            return int(number) if number.is_integer() else None
    return None


def _to_number(value: object) -> float | int | decimal.Decimal | None:
    if isinstance(value, decimal.Decimal):
        return value if value.is_finite() else None  # written as a JSON number, as given
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    if isinstance(value, bool):
        return int(value)
    return None


def _to_boolean(value: object) -> bool | None:
    if isinstance(value, int | float):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    return None


def _to_string(value: object) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | decimal.Decimal):
        return str(value)
    return None


def _types(schema: dict[str, Any]) -> set[str]:
    declared = schema.get("type", [])
    if isinstance(declared, str):
        return {declared}
    if declared:
        return set(declared)
    found: set[str] = set()
    for option in schema.get("anyOf", []):
        found |= _types(option)
    return found


# Per scalar kind: the test a valid value passes (on `v`), and the converter for one that fails.
_CHECKS: dict[str, tuple[str, str]] = {
    "string": ("v.__class__ is str", "to_string"),
    "integer": ("v.__class__ is int", "to_integer"),
    "number": ("v.__class__ is float or v.__class__ is int", "to_number"),
    "boolean": ("v.__class__ is bool", "to_boolean"),
    "date-time": (
        f"v.__class__ is str and len(v) == {ZOOM_TIME_LENGTH} and v[10] == 'T' and v[-1] == 'Z'",
        "to_datetime",
    ),
}


def _kind(spec: dict[str, Any]) -> str:
    kinds = _types(spec)
    if "object" in kinds:
        return "object"
    if "array" in kinds:
        item = spec.get("items", {})
        return "objects" if "object" in _types(item) and "properties" in item else "any"
    if "string" in kinds and spec.get("format") == "date-time":
        return "date-time"
    return next((k for k in ("integer", "number", "boolean", "string") if k in kinds), "any")


class _Compiler:
    """Writes one checking function per object level of a schema, as Python source.

    Unrolled, a record is checked in a few microseconds: one `dict.get`, one class test per
    field. Names come from the tap's own schema files and are embedded with repr().
    """

    def __init__(self) -> None:
        self.functions: list[str] = []
        self.constants: dict[str, object] = {}

    def compile(
        self, schema: dict[str, Any], selected: Callable[[Breadcrumb], bool], crumb: Breadcrumb
    ) -> str:
        name = f"shape_{len(self.functions)}"
        self.functions.append("")  # reserve the slot before nested levels take theirs
        properties = schema.get("properties", {})
        chosen = {k: v for k, v in properties.items() if selected((*crumb, "properties", k))}
        prefix = ".".join(crumb[1::2])
        self.constants[f"KNOWN_{name}"] = frozenset(chosen)
        self.constants[f"DESELECTED_{name}"] = frozenset(properties) - frozenset(chosen)
        lines = [
            f"def {name}(r):",
            f"    if not KNOWN_{name}.issuperset(r):",
            f"        drop(r, KNOWN_{name}, DESELECTED_{name}, {prefix + '.' if prefix else ''!r})",
            "    g = r.get",
        ]
        for field_name, spec in chosen.items():
            key = repr(field_name)
            kind = _kind(spec)
            lines.append(f"    v = g({key})")
            if kind in _CHECKS:
                test, convert = _CHECKS[kind]
                lines.append(f"    if v is not None and not ({test}): r[{key}] = {convert}(v)")
            elif kind == "object" and "properties" in spec:
                sub = self.compile(spec, selected, (*crumb, "properties", field_name))
                lines += [
                    "    if v is not None:",
                    f"        if v.__class__ is dict: {sub}(v)",
                    f"        else: r[{key}] = None",
                ]
            elif kind == "objects":
                sub = self.compile(
                    spec["items"], lambda _: True, (*crumb, "properties", field_name, "items")
                )
                lines += [
                    "    if v is not None:",
                    "        if v.__class__ is list:",
                    "            for item in v:",
                    f"                if item.__class__ is dict: {sub}(item)",
                    f"        else: r[{key}] = None",
                ]
            else:
                lines.pop()
        lines.append("    return r")
        self.functions[int(name.split("_")[1])] = "\n".join(lines)
        return name


class RecordShaper:
    """Conforms records of one stream to its schema and selection, in place."""

    def __init__(
        self,
        *,
        stream: str,
        schema: dict[str, Any],
        selected: Callable[[Breadcrumb], bool],
        logger: logging.Logger,
    ) -> None:
        """Compile the schema (and what the catalog selected) into one checking function."""
        self._stream = stream
        self._logger = logger
        self._warned: set[str] = set()
        compiler = _Compiler()
        entry = compiler.compile(schema, selected, ())
        namespace: dict[str, Any] = {
            **compiler.constants,
            "drop": self._drop,
            "to_string": _to_string,
            "to_integer": _to_integer,
            "to_number": _to_number,
            "to_boolean": _to_boolean,
            "to_datetime": _to_datetime,
        }
        exec("\n\n".join(compiler.functions), namespace)  # noqa: S102  # our own schema's checks
        self.shape: Callable[[dict[str, Any]], dict[str, Any]] = namespace[entry]

    def _drop(
        self, record: dict[str, Any], known: frozenset[str], deselected: frozenset[str], prefix: str
    ) -> None:
        for name in [k for k in record if k not in known]:
            del record[name]
            if name not in deselected and prefix + name not in self._warned:
                self._warned.add(prefix + name)
                self._logger.warning(
                    "Zoom sent a field the %s schema does not know, '%s'; records leave it out",
                    self._stream,
                    prefix + name,
                )
