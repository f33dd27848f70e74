"""``convention-rules serve``: the HTTP API and its pages, over uvicorn (extra ``[http]``)."""

from __future__ import annotations

import argparse

from convention_rules._errors import ConventionRulesError
from convention_rules.cli.command import Command, Streams


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    parser.add_argument(
        "--max-body", type=int, default=64 * 1024, help="largest request body, bytes (65536)"
    )
    parser.add_argument(
        "--time-limit", type=float, default=5.0, help="seconds a decision may take (5)"
    )


def _execute(options: argparse.Namespace, streams: Streams) -> int:
    try:
        import uvicorn  # noqa: PLC0415 (an optional extra, and CLI start-up time)

        from convention_rules.service.app import create_app  # noqa: PLC0415 (same)
    except ImportError as exc:
        raise ConventionRulesError(
            f"serve needs the [http] extra ({exc.name} is not installed): "
            "pip install 'convention-rules[http]'"
        ) from None
    app = create_app(max_body=options.max_body, time_limit=options.time_limit)
    streams.stderr.write(f"convention-rules: serving on http://{options.host}:{options.port}/\n")
    uvicorn.run(app, host=options.host, port=options.port, log_level="warning")
    return 0


COMMANDS = (
    Command("serve", "the HTTP API and its HTML pages (extra [http])", _configure, _execute),
)
