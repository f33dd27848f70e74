"""The command-line reference page (``docs/cli.md``), generated from the argparse parsers.

Each subcommand's synopsis, help and arguments are read from the parser that ``main`` builds,
so the page says what the command line accepts. ``convention-rules docs`` writes it with the
ruleset pages (:func:`pages`); a test fails when the committed page is stale.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from convention_rules.cli.main import argument_parser

_HEADER = """\
# Command line

`convention-rules` is installed in `.venv/bin/` by the quick start (`bash dev.sh test` or
`bash dev.sh demo`), and by `pip install` of the package. Exit status: 0 for any outcome
(`undetermined` included), 1 when case files fail or findings are reported, 2 with one line on
standard error for bad input (invalid facts, an unknown ruleset or decision, a file that does not
load).

This page is generated from the command's argument parsers by `convention-rules docs`; a test
fails when it is stale.
"""


def _metavar(action: argparse.Action) -> str:
    if action.metavar is not None:
        return str(action.metavar)
    if action.option_strings:
        return action.dest.upper()
    return action.dest.upper()


def _usage_part(action: argparse.Action) -> str:
    if not action.option_strings:
        name = _metavar(action)
        shapes = {"?": f"[{name}]", "*": f"[{name} ...]", "+": f"{name} [{name} ...]"}
        return shapes.get(str(action.nargs), name)
    flag = action.option_strings[-1] if len(action.option_strings) > 1 else action.option_strings[0]
    text = flag if action.nargs == 0 else f"{flag} {_metavar(action)}"
    return text if action.required else f"[{text}]"


def _arguments(command: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in command._actions if not isinstance(a, argparse._HelpAction)]


def _escape(text: str) -> str:
    """Help text for Markdown: ``*`` and ``|`` literal."""
    return text.replace("*", "\\*").replace("|", "\\|")


def _sentence(text: str) -> str:
    return _escape(text[:1].upper() + text[1:]) + "."


def _row(action: argparse.Action) -> str:
    if action.option_strings:
        name = ", ".join(f"`{flag}`" for flag in action.option_strings)
        if action.nargs != 0:
            name += f" `{_metavar(action)}`"
    else:
        name = f"`{_metavar(action)}`"
    details = [_escape(action.help or "")]
    if action.choices is not None:
        details.append("one of " + ", ".join(f"`{choice}`" for choice in action.choices))
    if action.required and action.option_strings:
        details.append("required")
    elif action.default not in (None, False, [], argparse.SUPPRESS) and "default" not in (
        action.help or ""
    ):
        details.append(f"default `{action.default}`")
    return f"| {name} | {'; '.join(d for d in details if d)} |"


def _subcommands(root: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in root._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _help_of(root: argparse.ArgumentParser) -> dict[str, str]:
    for action in root._actions:
        if isinstance(action, argparse._SubParsersAction):
            return {choice.dest: choice.help or "" for choice in action._choices_actions}
    return {}


def cli_page() -> str:
    """The reference of every subcommand, in the order of ``convention-rules --help``."""
    root = argument_parser()
    helps = _help_of(root)
    lines = [_HEADER]
    for name, command in _subcommands(root).items():
        actions = _arguments(command)
        synopsis = " ".join(["convention-rules", name, *(_usage_part(a) for a in actions)])
        lines += [f"## `{name}`", "", _sentence(helps.get(name, "")), ""]
        lines += ["```", synopsis, "```", ""]
        if actions:
            lines += ["| argument | meaning |", "|---|---|"]
            lines += [_row(action) for action in actions]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def pages(docs: Path) -> dict[str, str]:
    """Every generated page of the documentation folder ``docs``, by relative path: the
    ruleset pages, the tutorial's example page, and this one."""
    from convention_rules.tools.docs import generate  # noqa: PLC0415 (CLI start-up time)

    generated = generate(docs)
    generated["cli.md"] = cli_page()
    return generated
