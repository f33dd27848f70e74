"""``convention-rules validate`` (``check``) and ``lint``: the author's tools.

``validate`` prints every finding of each file (``file:line:col: message (hint: …)``);
``lint`` prints, per decision, the fact combinations where rules overlap or leave a
gap, and the rules that never apply, each with facts to paste into ``decide``.
Both exit 1 when they find something, 0 when the files are clean.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from convention_rules.cli.command import Command, Streams


def _targets(paths: list[str], *, cases: bool) -> list[Path]:
    from convention_rules._registry import bundled_dir, bundled_rulesets  # noqa: PLC0415

    if paths:
        found: list[Path] = []
        for given in paths:
            path = Path(given)
            if not path.exists() and given in bundled_rulesets():
                path = bundled_dir() / f"{given}.yaml"  # a bundled id
            if path.is_dir():
                found.extend(
                    p
                    for p in sorted(path.glob("*.yaml"))
                    if cases or not p.name.endswith(".cases.yaml")
                )
            else:
                found.append(path)
        return found
    folder = bundled_dir()
    found = [folder / f"{name}.yaml" for name in bundled_rulesets()]
    if cases:
        found.extend(sorted(folder.glob("*.cases.yaml")))
    return found


def _configure_validate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        help="ruleset or case files, folders or bundled ids (default: every bundled file)",
    )


def _validate(options: argparse.Namespace, streams: Streams) -> int:
    from convention_rules.authoring.validate import iter_findings  # noqa: PLC0415

    total = 0
    for path in _targets(options.paths, cases=True):
        if not path.is_file():
            streams.stderr.write(f"{path}: no such file\n")
            total += 1
            continue
        findings = list(iter_findings(path))
        total += len(findings)
        for finding in findings:
            streams.stdout.write(f"{finding}\n")
        if not findings:
            streams.stdout.write(f"ok {path}\n")
    if total:
        streams.stdout.write(f"{total} finding{'s' if total != 1 else ''}\n")
    return 1 if total else 0


def _configure_lint(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", help="ruleset files or bundled ids (default: every bundled ruleset)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=20.0,
        help="seconds of solver time allowed per decision (default 20)",
    )
    parser.add_argument("--timings", action="store_true", help="print the time each ruleset took")
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object per ruleset (findings, time)"
    )


def _lint(options: argparse.Namespace, streams: Streams) -> int:
    try:
        from convention_rules.authoring.lint import lint_ruleset  # noqa: PLC0415
    except ModuleNotFoundError as exc:
        if exc.name != "z3":
            raise
        streams.stderr.write(
            "convention-rules: lint needs the z3 solver: pip install 'convention-rules[lint]'\n"
        )
        return 2
    if options.timeout < 0:
        streams.stderr.write("convention-rules: --timeout must be 0 or more seconds\n")
        return 2

    total = 0
    for path in _targets(options.paths, cases=False):
        report = lint_ruleset(path, timeout=options.timeout)
        total += len(report.findings)
        if options.json:
            document = {
                "file": str(path),
                "findings": [finding.to_dict() for finding in report.findings],
                "notes": list(report.notes),
                "seconds": round(report.seconds, 3),
                "queries": report.queries,
            }
            streams.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
            continue
        for finding in report.findings:
            streams.stdout.write(f"{finding.render()}\n")
        for note in report.notes:
            streams.stdout.write(f"note {path.name}: {note}\n")
        if not report.findings:
            streams.stdout.write(f"ok {path}\n")
        if options.timings:
            streams.stdout.write(
                f"time {path.name}: {report.seconds:.2f} s, {report.queries} solver queries\n"
            )
    if total and not options.json:
        streams.stdout.write(f"{total} finding{'s' if total != 1 else ''}\n")
    return 1 if total else 0


COMMANDS = (
    Command(
        "validate",
        "every finding in rulesets and case files (file:line:col, with hints)",
        _configure_validate,
        _validate,
    ),
    Command("check", "the same as validate", _configure_validate, _validate),
    Command(
        "lint",
        "overlaps, gaps and dead rules, with facts that show them (needs z3-solver)",
        _configure_lint,
        _lint,
    ),
)
