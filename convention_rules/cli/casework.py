"""``convention-rules demo``, ``test`` and ``docs``: the tools over case files and rulesets."""

from __future__ import annotations

import argparse
from pathlib import Path

from convention_rules.cli.command import Command, Streams


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    del parser


def _demo(options: argparse.Namespace, streams: Streams) -> int:
    from convention_rules.tools.demo import demo  # noqa: PLC0415 (CLI start-up time)

    del options
    streams.stdout.write(demo())
    return 0


def _configure_test(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", help="case files, or folders of *.cases.yaml (default: all bundled)"
    )


def _test(options: argparse.Namespace, streams: Streams) -> int:
    from convention_rules._registry import bundled_dir  # noqa: PLC0415 (CLI start-up time)
    from convention_rules.tools.casefiles import (  # noqa: PLC0415 (same)
        case_files,
        render_failure,
        run_case_files,
    )

    files = case_files([Path(p) for p in options.paths] or [bundled_dir()])
    passed = failed = 0
    for _case, failure in run_case_files(files):
        if failure is None:
            passed += 1
        else:
            failed += 1
            streams.stdout.write(f"{render_failure(failure)}\n\n")
    streams.stdout.write(f"{passed} passed, {failed} failed\n")
    return 1 if failed else 0


def _configure_docs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", help="folder to write into (default: docs/ of the checkout run from)"
    )


def _docs(options: argparse.Namespace, streams: Streams) -> int:
    from convention_rules.cli.reference import pages  # noqa: PLC0415 (CLI start-up time)
    from convention_rules.tools.docs import default_out, write  # noqa: PLC0415 (same)

    out = Path(options.out) if options.out is not None else default_out(Path.cwd())
    for path in write(out, pages(out)):
        streams.stdout.write(f"wrote {path}\n")
    return 0


COMMANDS = (
    Command("demo", "explained decisions on each bundled agreement", _no_arguments, _demo),
    Command("test", "run YAML case files", _configure_test, _test),
    Command(
        "docs",
        "write the generated pages: docs/rulesets/*.md, docs/readings.md, docs/cli.md",
        _configure_docs,
        _docs,
    ),
)
