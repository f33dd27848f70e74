"""The batch endpoint's body and answer: a table of facts in, a table of answers out.

``POST /rulesets/{id}/decisions/{name}/table`` takes ``{"columns": {fact: [cells]}}`` or
``{"rows": [{fact: value}, ...]}`` (the same facts as a single decision, ``null`` or absent:
not given) and answers every row with ``Ruleset.decide_table`` (the columnar evaluator): the
answer's columns (``outcome``, one per value, ``missing``, ``rules``, ``error``), as JSON.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from convention_rules._errors import FactError

#: rows in one request (the body's size limit usually comes first)
MAX_ROWS = 10_000


def table_columns(body: Mapping[str, Any], inputs: Sequence[str]) -> dict[str, list[Any]]:
    """The columns of a request body, one per input fact (absent ones empty); ``FactError``
    naming what is wrong otherwise."""
    if set(body) == {"columns"} and isinstance(body["columns"], dict):
        given: dict[str, Any] = body["columns"]
        for name, cells in given.items():
            if not isinstance(cells, list):
                raise FactError(
                    "a column is a list of cells", fact=name, expected="a JSON array of values"
                )
        lengths = {len(cells) for cells in given.values()}
        if len(lengths) > 1:
            raise FactError(
                "the columns have different lengths",
                value=sorted(lengths),
                expected="columns of one length",
            )
        count = lengths.pop() if lengths else 0
    elif set(body) == {"rows"} and isinstance(body["rows"], list):
        rows: list[Any] = body["rows"]
        for index, row in enumerate(rows):
            if not isinstance(row, dict):
                raise FactError(
                    f"row {index} is not an object", expected="a JSON object of facts per row"
                )
        given = {name: [row.get(name) for row in rows] for row in rows for name in row}
        count = len(rows)
    else:
        raise FactError(
            "the body is not a table",
            expected='{"columns": {"fact": [values]}} or {"rows": [{"fact": value}]}',
        )
    if count > MAX_ROWS:
        raise FactError(
            f"{count} rows in one request", expected=f"at most {MAX_ROWS} rows (split the table)"
        )
    unknown = sorted(set(given) - set(inputs))
    if unknown:
        raise FactError(
            "not a fact this decision reads",
            fact=unknown[0],
            expected="one of: " + (", ".join(inputs) or "none"),
        )
    return {name: given.get(name, [None] * count) for name in inputs}


def table_answer(result: Mapping[str, Sequence[Any]]) -> dict[str, Any]:
    """``decide_table``'s answer as JSON: the row count, the columns, a count per outcome."""
    columns = {name: [_json(cell) for cell in cells] for name, cells in result.items()}
    outcomes = Counter(str(o) if o is not None else "invalid" for o in result.get("outcome", ()))
    return {"rows": len(columns.get("outcome", ())), "columns": columns, "outcomes": outcomes}


def _json(cell: Any) -> Any:
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, Decimal):
        return f"{cell:.2f}"  # money, to the cent, as a single decision writes it
    if isinstance(cell, list | tuple):
        return [_json(item) for item in cell]
    return cell
