"""Impact of a change of the rules: the clauses that changed and the cases they move (#15)."""

from convention_rules.impact.clauses import (
    ClauseChange,
    ConstantChange,
    Side,
    clause_changes,
    constant_changes,
)
from convention_rules.impact.rows import (
    Answer,
    Impact,
    RowChange,
    diff_rows,
    generate_rows,
    read_table,
)

__all__ = [
    "Answer",
    "ClauseChange",
    "ConstantChange",
    "Impact",
    "RowChange",
    "Side",
    "clause_changes",
    "constant_changes",
    "diff_rows",
    "generate_rows",
    "read_table",
]
