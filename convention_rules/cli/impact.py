"""``convention-rules diff``: the clauses a change of the rules touches and the cases it moves."""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path
from typing import Any

from convention_rules._errors import UnknownNameError
from convention_rules.cli.command import Command, Streams


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", help="the old ruleset (id or .yaml file)")
    parser.add_argument("new", nargs="?", help="the new ruleset (default: the old one)")
    parser.add_argument("--from-version", help="the old side: this version of the ruleset")
    parser.add_argument("--to-version", help="the new side: this version of the ruleset")
    parser.add_argument("--rev", help="the old side: OLD as it was at this git revision")
    parser.add_argument("--decision", help="the decision whose cases are compared")
    parser.add_argument("--cases", help="a CSV case table (header: fact names, as_of)")
    parser.add_argument("--generate", type=int, help="compare N generated cases instead")
    parser.add_argument("--as-of", help="the date of generated cases, and of the rules compared")
    parser.add_argument("--show", type=int, default=20, help="changed rows printed (default 20)")
    parser.add_argument("--json", action="store_true", help="one JSON object, every changed row")


def _at_revision(path: str, revision: str) -> Path:
    """The file as it was at ``revision`` (``git show REV:path``), in a temporary copy."""
    file = Path(path).resolve()
    if not file.is_file():
        raise UnknownNameError(f"--rev needs a ruleset file, not {path!r}")
    if revision.startswith("-"):
        raise UnknownNameError(f"not a git revision: {revision!r}")
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],  # noqa: S607 - git from PATH
            cwd=file.parent,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        relative = file.relative_to(Path(top).resolve()).as_posix()
        text = subprocess.run(  # noqa: S603 - no shell; the revision cannot be an option
            ["git", "show", f"{revision}:{relative}"],  # noqa: S607 - git from PATH
            cwd=top,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError, ValueError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        raise UnknownNameError(f"cannot read {path} at {revision}: {detail.strip()}") from None
    folder = Path(tempfile.mkdtemp(prefix="convention-rules-rev-"))
    copy = folder / file.name
    copy.write_text(text, encoding="utf-8")
    return copy


def _read_arrow(path: Path) -> Any:
    """A CSV or Parquet case table as a pyarrow table (the evaluator types the cells)."""
    import pyarrow.csv as pacsv  # noqa: PLC0415 - pyarrow on use
    import pyarrow.parquet as pq  # noqa: PLC0415

    if path.suffix in (".parquet", ".pq"):
        return pq.read_table(path)
    strings = pacsv.ConvertOptions(strings_can_be_null=True, auto_dict_encode=False)
    return pacsv.read_csv(path, convert_options=strings)


def _columnar() -> bool:
    try:
        import pyarrow  # noqa: F401, PLC0415 - is the optional table library installed?
    except ImportError:
        return False
    return True


def _impact(
    options: argparse.Namespace, old: Any, new: Any, ruleset: Any, *, as_of: Any, clauses: Any
) -> Any:
    """The rows that change: over the columnar evaluator with pyarrow, else one by one."""
    from convention_rules.impact import diff_rows, generate_rows, read_table  # noqa: PLC0415
    from convention_rules.law.legaltime import today_in_paris  # noqa: PLC0415

    spec = ruleset.decision_spec(options.decision)
    day = as_of or today_in_paris()
    keep = None if options.json else options.show
    if _columnar():
        from convention_rules.impact.table import diff_table, generate_table  # noqa: PLC0415

        if options.cases:
            table = _read_arrow(Path(options.cases))
        else:
            table = generate_table(ruleset.facts, spec.inputs, options.generate, day)
        # The columnar evaluator does not take every builtin yet (given() of the terms: a
        # KeyError); those tables are decided row by row below, with the same answers.
        with contextlib.suppress(KeyError):
            return diff_table(
                old, new, options.decision, table, as_of=day, clauses=clauses, keep=keep
            )
    if options.cases:
        rows = read_table(Path(options.cases), ruleset.facts)
    else:
        rows = generate_rows(ruleset.facts, spec.inputs, options.generate, day)
    return diff_rows(old, new, options.decision, rows, clauses=clauses)


def _execute(options: argparse.Namespace, streams: Streams) -> int:
    # Heavy imports inside the command (CLI start-up time).
    from convention_rules._registry import BundledIdWarning, load_ruleset  # noqa: PLC0415
    from convention_rules.impact import Side, clause_changes, constant_changes  # noqa: PLC0415
    from convention_rules.law.legaltime import parse_date  # noqa: PLC0415

    with warnings.catch_warnings():
        # An edited copy of a bundled ruleset keeps its id: comparing it is the point here.
        warnings.simplefilter("ignore", BundledIdWarning)
        new_ruleset = load_ruleset(options.new or options.old)
        old_source = _at_revision(options.old, options.rev) if options.rev else options.old
        old_ruleset = load_ruleset(old_source) if (options.new or options.rev) else new_ruleset
    if options.rev:  # the copy of the old revision is read: remove it
        shutil.rmtree(Path(old_source).parent, ignore_errors=True)
    for given, ruleset in ((options.from_version, old_ruleset), (options.to_version, new_ruleset)):
        if given is not None and given not in {v.id for v in ruleset.versions}:
            known = ", ".join(v.id for v in ruleset.versions) or "none"
            raise UnknownNameError(f"{ruleset.id} has no version {given!r} (versions: {known})")
    old = Side(old_ruleset, options.from_version, "old")
    new = Side(new_ruleset, options.to_version, "new")
    as_of = parse_date(options.as_of, fact="--as-of") if options.as_of else None
    decisions = (options.decision,) if options.decision else None
    if options.decision and options.decision not in new_ruleset.decisions:
        raise UnknownNameError(
            f"ruleset {new_ruleset.id!r} has no decision {options.decision!r} "
            f"(decisions: {', '.join(new_ruleset.decisions)})"
        )
    clauses = clause_changes(old, new, decisions, as_of)
    constants = constant_changes(old, new, as_of)
    out: dict[str, Any] = {
        "clauses": [c.to_dict() for c in clauses],
        "constants": [c.to_dict() for c in constants],
    }
    lines = [f"{len(clauses)} rules and {len(constants)} constants differ"]
    lines.extend(str(change) for change in (*clauses, *constants))
    if options.decision and (options.cases or options.generate):
        impact = _impact(options, old, new, new_ruleset, as_of=as_of, clauses=tuple(clauses))
        out.update(impact.to_dict())
        lines.append(f"{impact.rows_changed} of {impact.total} rows change ({options.decision})")
        for (before, after), count in sorted(impact.summary.items()):
            marker = "" if before == after else "  *"
            lines.append(f"  {before:>20} -> {after:<20} {count:>9}{marker}")
        for change in impact.rows[: options.show]:
            facts = json.dumps(change.to_dict()["facts"], ensure_ascii=False)
            lines.append(f"  row {change.row} {facts}")
            lines.append(f"    old: {json.dumps(change.old.to_dict(), ensure_ascii=False)}")
            lines.append(f"    new: {json.dumps(change.new.to_dict(), ensure_ascii=False)}")
    if options.json:
        json.dump(out, streams.stdout, ensure_ascii=False)
        streams.stdout.write("\n")
    else:
        streams.stdout.write("\n".join(lines) + "\n")
    return 0


COMMANDS = (
    Command(
        "diff",
        "the clauses a change of the rules touches, and the cases it moves",
        _configure,
        _execute,
    ),
)
