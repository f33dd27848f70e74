"""The command line: a thin layer over the Python API.

``main(argv)`` parses arguments and exits; ``run(args, stdout, stderr, stdin)``
does the work and returns the exit status, so it is testable without a
subprocess. Exit 0 for any outcome (``undetermined`` included), 1 when case
files fail, 2 with one line on stderr for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from convention_rules._errors import ConventionRulesError, FactError, RulesetError
from convention_rules._registry import bundled_dir, bundled_rulesets, load_ruleset
from convention_rules.law.legaltime import parse_date
from convention_rules.tools.casefiles import run_case_files
from convention_rules.tools.demo import demo
from convention_rules.tools.docs import write as write_docs


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="convention-rules",
        description="Ask French partnership agreements questions, with explained answers.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    decide = commands.add_parser("decide", help="answer one decision; JSON on stdout")
    decide.add_argument("ruleset", help="bundled ruleset id or path to a .yaml file")
    decide.add_argument("decision", help="decision name, e.g. eligibility")
    decide.add_argument("--facts", required=True, help="JSON file of facts, or - for stdin")
    decide.add_argument("--as-of", help="date of the question, YYYY-MM-DD (default: today)")
    decide.add_argument("--explain", action="store_true", help="print the explanation, not JSON")
    commands.add_parser("list", help="list bundled rulesets and their decisions")
    commands.add_parser("demo", help="explained decisions on each bundled agreement")
    check = commands.add_parser("check", help="load rulesets and report errors (file:line:col)")
    check.add_argument("paths", nargs="*", help="ruleset files (default: all bundled)")
    docs = commands.add_parser("docs", help="write docs/rulesets/*.md and docs/readings.md")
    docs.add_argument("--out", default="docs", help="folder to write into (default: docs)")
    test = commands.add_parser("test", help="run YAML case files")
    test.add_argument("paths", nargs="*", help="case files (default: all bundled)")
    return parser


def run(
    args: Sequence[str],
    stdout: TextIO,
    stderr: TextIO,
    stdin: TextIO | None = None,
) -> int:
    """Run the command line ``args``; return the exit status."""
    try:
        options = _parser().parse_args(list(args))
    except SystemExit as exc:  # argparse already printed its usage line
        return int(exc.code or 0)
    try:
        if options.command == "decide":
            return _decide(options, stdout, stdin or sys.stdin)
        if options.command == "list":
            return _list(stdout)
        if options.command == "demo":
            stdout.write(demo())
            return 0
        if options.command == "check":
            return _check(options.paths, stdout, stderr)
        if options.command == "docs":
            for path in write_docs(Path(options.out)):
                stdout.write(f"wrote {path}\n")
            return 0
        return _test(options.paths, stdout)
    except ConventionRulesError as exc:
        stderr.write(f"convention-rules: {_one_line(exc)}\n")
        return 2


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def _read_facts(source: str, stdin: TextIO) -> Any:
    try:
        text = stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise FactError(f"cannot read facts from {source}: {exc.strerror}") from None
    try:
        return json.loads(text, parse_float=_refuse_float, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise FactError(f"facts are not valid JSON: {exc.msg} at line {exc.lineno}") from None


def _refuse_float(text: str) -> Any:
    # Kept as marked text, refused below with the fact's name: a binary float
    # cannot hold cents, and no fact is a fractional number.
    return _JsonNumber(text)


def _refuse_constant(text: str) -> Any:
    raise FactError(f"{text} is not a valid fact value", value=text)


class _JsonNumber(str):
    """A JSON number with a fraction: never a money amount (binary floats cannot hold cents)."""


def _decide(options: argparse.Namespace, stdout: TextIO, stdin: TextIO) -> int:
    ruleset = load_ruleset(options.ruleset)
    facts = _read_facts(options.facts, stdin)
    if isinstance(facts, dict):
        for name, value in facts.items():
            if isinstance(value, _JsonNumber):
                raise FactError(
                    "a JSON number with a fraction is not accepted",
                    fact=name,
                    value=str(value),
                    expected='an integer, or an amount as a string such as "8645.50"',
                )
    as_of = parse_date(options.as_of, fact="--as-of") if options.as_of else None
    decision = ruleset.decide(options.decision, facts, as_of=as_of)
    if options.explain:
        stdout.write(str(decision) + "\n")
    else:
        json.dump(decision.to_dict(), stdout, ensure_ascii=False)
        stdout.write("\n")
    return 0


def _list(stdout: TextIO) -> int:
    for ruleset_id in bundled_rulesets():
        ruleset = load_ruleset(ruleset_id)
        stdout.write(f"{ruleset.id}: {ruleset.title}\n")
        for name in ruleset.decisions:
            spec = ruleset.decision_spec(name)
            stdout.write(f"  {name} -> {', '.join(spec.outcomes)}  [{', '.join(spec.inputs)}]\n")
    return 0


def _check(paths: list[str], stdout: TextIO, stderr: TextIO) -> int:
    targets = paths or [str(bundled_dir() / f"{name}.yaml") for name in bundled_rulesets()]
    failures = 0
    for target in targets:
        try:
            ruleset = load_ruleset(Path(target))
        except RulesetError as exc:
            failures += 1
            stderr.write(f"{_one_line(exc)}\n")
        else:
            stdout.write(f"ok {target}: {ruleset.id}, {len(ruleset.decisions)} decisions\n")
    return 2 if failures else 0


def _test(paths: list[str], stdout: TextIO) -> int:
    files = [Path(p) for p in paths] or sorted(bundled_dir().glob("*.cases.yaml"))
    passed = failed = 0
    for _case, failure in run_case_files(files):
        if failure is None:
            passed += 1
        else:
            failed += 1
            stdout.write(f"{failure}\n")
    stdout.write(f"{passed} passed, {failed} failed\n")
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``convention-rules`` console script."""
    return run(sys.argv[1:] if argv is None else argv, sys.stdout, sys.stderr, sys.stdin)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
