"""The JSON Schemas of the ruleset and case-file formats, and findings against them.

The schemas ship in ``convention_rules/authoring/schemas/``; editors read them
through the first line of each bundled file (``# yaml-language-server: $schema=…``).
Here they check a positioned YAML tree, each violation at its ``file:line:col``.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from convention_rules.authoring.findings import Finding
from convention_rules.reading.positioned import YMap, YNode, YSeq, to_plain

SCHEMAS = ("ruleset", "cases")


@cache
def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of ``kind`` (``ruleset`` or ``cases``), as a mapping."""
    text = resources.files("convention_rules.authoring").joinpath(f"schemas/{kind}.schema.json")
    loaded: dict[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    return loaded


def _validator(kind: str) -> Any:
    import jsonschema  # noqa: PLC0415 - only validate needs it

    return jsonschema.Draft202012Validator(schema(kind))


def _node_at(root: YNode, path: list[Any]) -> tuple[YNode, str | None]:
    """The node at a JSON path, and the key name when the last step is a key."""
    node, key = root, None
    for step in path:
        if isinstance(node, YMap) and isinstance(step, str) and step in node:
            key, node = step, node.entries[step][1]
        elif isinstance(node, YSeq) and isinstance(step, int) and step < len(node.items):
            key, node = None, node.items[step]
        else:
            break
    return node, key


def _where(path: list[Any]) -> str:
    return "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in path).lstrip(".") or "top"


def iter_schema_findings(root: YNode, kind: str) -> Iterator[Finding]:
    """Every violation of the ``kind`` schema in a positioned tree."""
    validator = _validator(kind)
    for error in validator.iter_errors(to_plain(root)):
        path = list(error.absolute_path)
        node, _ = _node_at(root, path)
        where = _where(path)
        if error.validator == "additionalProperties" and isinstance(node, YMap):
            allowed = sorted(error.schema.get("properties", {}))
            for key, loc, _value in node.items():
                if key in allowed:
                    continue
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(allowed)}"
                yield Finding("schema", loc, f"unknown key {key!r} in {where}", hint)
        elif error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else ""
            keys = list(node.entries) if isinstance(node, YMap) else []
            if difflib.get_close_matches(missing, keys, n=1):
                continue  # a misspelt key: reported as an unknown key, with its hint
            yield Finding("schema", node.loc, f"{where}: {error.message}", "add the key")
        elif error.validator in ("oneOf", "anyOf"):
            yield Finding(
                "schema",
                node.loc,
                f"{where}: not a valid shape here",
                "see docs/ruleset-format.md for the keys this part takes",
            )
        else:
            yield Finding("schema", node.loc, f"{where}: {error.message}")
