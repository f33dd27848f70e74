"""``convention-rules source``: an agreement's text, or one article of it, as the text has it."""

from __future__ import annotations

import argparse

from convention_rules.cli.command import Command, Streams


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ruleset", help="a bundled ruleset id or a ruleset file")
    parser.add_argument(
        "article", nargs="?", help='an article as the rulesets cite it ("3-2", "3.9", "1 (3-3)")'
    )
    parser.add_argument(
        "--lines", action="store_true", help="prefix each line with its number in the text"
    )


def _source(options: argparse.Namespace, streams: Streams) -> int:
    from convention_rules._registry import load_ruleset  # noqa: PLC0415 (CLI start-up time)

    ruleset = load_ruleset(options.ruleset)
    text = ruleset.source_text()
    if options.article is None and not options.lines:
        streams.stdout.write(text.text)
        return 0
    if options.article is None:
        first, lines = 1, text.lines
    else:
        passage = text.article(options.article)
        first, lines = passage.first, passage.text.splitlines()
        if options.lines:
            streams.stdout.write(
                f"# {passage.source}, art. {passage.article}: lines {first}-{passage.last}\n"
            )
    for number, line in enumerate(lines, first):
        streams.stdout.write(f"{number:5}  {line}\n" if options.lines else f"{line}\n")
    return 0


COMMANDS = (
    Command("source", "print an agreement's text or one of its articles", _configure, _source),
)
