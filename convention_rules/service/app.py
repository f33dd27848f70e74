"""The HTTP API: FastAPI routes over the bundled rulesets (``convention-rules serve``).

- ``POST /rulesets/{id}/decisions/{name}``: facts in, the decision JSON out
  (``?as_of=YYYY-MM-DD``, ``?explain=fr|en`` adds ``explanation``); one route per
  bundled decision, so the OpenAPI document carries each decision's facts and
  answer schemas;
- ``GET /rulesets``, ``GET /rulesets/{id}``, ``GET /rulesets/{id}/decisions/{name}``
  (JSON, or the HTML form when the client accepts ``text/html``), ``GET /ui/{id}/{name}``;
- ``GET /openapi.json``.

Errors are ``{"error": "one line", ...}``: 422 for invalid facts (``FactError``) or a
decision that cannot be resolved, 404 for an unknown ruleset or decision, 413 for a body
above the size limit, 503 past the time limit. A ruleset id in a URL is looked up among the
bundled ids loaded at start: it never reaches the file system.

``POST /rulesets/{id}/decisions/{name}/table`` answers a whole table (``{"columns": ...}`` or
``{"rows": [...]}``) with ``Ruleset.decide_table``, the columnar evaluator
(``service/tables.py``), with the same limits and errors.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal

import anyio
import anyio.to_thread
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.routing import Match

from convention_rules._errors import (
    ConventionRulesError,
    EvaluationError,
    FactError,
    UnknownNameError,
)
from convention_rules._registry import bundled_rulesets, load_ruleset
from convention_rules._version import library_version
from convention_rules.deciding.decision import Decision
from convention_rules.deciding.ruleset import Ruleset
from convention_rules.law.legaltime import parse_date
from convention_rules.service.bodies import parse_facts
from convention_rules.service.limits import MAX_BODY, BodyLimit, BodyTooLargeError, read_body
from convention_rules.service.page import decision_page, index_page
from convention_rules.service.tables import MAX_ROWS, table_answer, table_columns

#: The default time limit of one request's decision, in seconds.
TIME_LIMIT = 5.0

_log = logging.getLogger("convention_rules.service")

_ERROR = {
    "type": "object",
    "properties": {
        "error": {"type": "string", "description": "what is wrong, on one line"},
        "fact": {"type": ["string", "null"], "description": "the fact at fault, if one is"},
        "expected": {"type": ["string", "null"], "description": "what the fact accepts"},
    },
    "required": ["error"],
}
AS_OF_PATTERN = "^(19[0-9]{2}|2[01][0-9]{2}|2200)-[0-9]{2}-[0-9]{2}$"  # law/bounds.py: 1900-2200
_ERROR_CONTENT = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
_ERROR_STATUSES = {
    404: "unknown ruleset or decision",
    413: "the body is above the size limit",
    422: "invalid facts or query, or no answer for these facts",
    503: "the decision passed the time limit",
}


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI responses of these error statuses, each ``{"error": ...}``."""
    return {
        str(status): {"description": _ERROR_STATUSES[status], "content": _ERROR_CONTENT}
        for status in statuses
    }


_TABLE_ANSWER: dict[str, Any] = {
    "type": "object",
    "required": ["rows", "columns", "outcomes"],
    "properties": {
        "rows": {"type": "integer", "minimum": 0},
        "columns": {"type": "object", "additionalProperties": {"type": "array"}},
        "outcomes": {"type": "object", "additionalProperties": {"type": "integer"}},
    },
}


#: the ``as_of`` query parameter, the same for a decision and a table
_AS_OF: Any = Query(
    None,
    description="the day of the question, YYYY-MM-DD (default: today in Europe/Paris)",
    pattern=AS_OF_PATTERN,
    json_schema_extra={"format": "date"},
)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _error(status: int, message: str, **extra: str | None) -> JSONResponse:
    return JSONResponse({"error": _one_line(message), **extra}, status_code=status)


def _without_dialect(schema: Mapping[str, Any]) -> dict[str, Any]:
    """A schema to embed in the OpenAPI document (3.1: JSON Schema 2020-12 already)."""
    return {key: value for key, value in schema.items() if key not in ("$schema", "$id")}


def explanation(decision: Decision, lang: str) -> str:
    """The decision explained in ``lang`` (``fr`` or ``en``), as plain text."""
    return decision.explain(lang=lang)


class Service:
    """The rulesets a server answers for, its limits, and its routes."""

    def __init__(
        self,
        rulesets: Sequence[str] | None = None,
        *,
        max_body: int = MAX_BODY,
        time_limit: float = TIME_LIMIT,
    ) -> None:
        names = bundled_rulesets() if rulesets is None else tuple(rulesets)
        loaded = [load_ruleset(name) for name in names]  # ids or files the program chose
        self.rulesets: dict[str, Ruleset] = {rs.id: rs for rs in loaded}  # URLs name only these
        self.max_body = max_body
        self.time_limit = time_limit
        self.components: dict[str, Any] = {"Error": _ERROR}

    def ruleset(self, ruleset_id: str) -> Ruleset:
        """A served ruleset by id (only those loaded at start), else ``UnknownNameError``."""
        found = self.rulesets.get(ruleset_id)
        if found is None:
            known = ", ".join(self.rulesets) or "none"
            raise UnknownNameError(f"unknown ruleset {ruleset_id!r} (served: {known})")
        return found

    def describe_decision(self, ruleset: Ruleset, name: str) -> dict[str, Any]:
        spec = ruleset.decision_spec(name)
        return {
            "name": name,
            "title": spec.title,
            "outcomes": list(spec.outcomes),
            "inputs": list(spec.inputs),
            "url": f"/rulesets/{ruleset.id}/decisions/{name}",
            "page": f"/ui/{ruleset.id}/{name}",
            "facts_schema": ruleset.facts_schema(name),
            "answer_schema": ruleset.answer_schema(name),
        }

    def describe(self, ruleset: Ruleset) -> dict[str, Any]:
        return {
            "id": ruleset.id,
            "title": ruleset.title,
            "source": ruleset.source,
            "versions": [
                {
                    "id": v.id,
                    "title": v.title,
                    "first": v.first.isoformat() if v.first else None,
                    "last": v.last.isoformat() if v.last else None,
                }
                for v in ruleset.versions
            ],
            "decisions": {
                name: self.describe_decision(ruleset, name) for name in ruleset.decisions
            },
        }

    def show(self, ruleset: Ruleset, name: str, request: Request) -> Response:
        """A decision described in JSON, or its HTML form when the client prefers HTML."""
        if _wants_html(request.headers.get("accept", "")):
            ruleset.decision_spec(name)  # an unknown decision is a 404, not a page
            return _page(ruleset, name)
        return JSONResponse(self.describe_decision(ruleset, name))

    async def decide(
        self, ruleset: Ruleset, name: str, request: Request, as_of: str | None, lang: str | None
    ) -> dict[str, Any]:
        """Read the body and decide, both within the time limit; the decision JSON."""
        day = _day(as_of)
        with anyio.fail_after(self.time_limit):  # a body sent slowly counts too
            facts = await self._body(request)

            def work() -> dict[str, Any]:
                decision = ruleset.decide(name, facts, as_of=day)
                answer = decision.to_dict()
                if lang is not None:
                    answer["explanation"] = explanation(decision, lang)
                return answer

            return await anyio.to_thread.run_sync(work, abandon_on_cancel=True)

    async def _body(self, request: Request) -> dict[str, Any]:
        """The request's JSON object, read within the size limit (``bodies.py``)."""
        return parse_facts(await read_body(request.stream(), self.max_body))

    async def decide_table(
        self, ruleset: Ruleset, name: str, request: Request, as_of: str | None
    ) -> dict[str, Any]:
        """Read a table and answer every row, within the time limit."""
        day = _day(as_of)
        with anyio.fail_after(self.time_limit):
            columns = table_columns(await self._body(request), ruleset.decision_spec(name).inputs)

            def work() -> dict[str, Any]:
                return table_answer(ruleset.decide_table(name, columns, as_of=day))

            return await anyio.to_thread.run_sync(work, abandon_on_cancel=True)


def _day(as_of: str | None) -> date | None:
    return parse_date(as_of, fact="as_of") if as_of is not None else None


def _add_decision_routes(app: FastAPI, service: Service, ruleset: Ruleset, name: str) -> None:
    """``POST /rulesets/{id}/decisions/{name}`` with its schemas in the OpenAPI document."""
    key = f"{ruleset.id}.{name}"
    service.components[f"{key}.facts"] = _without_dialect(ruleset.facts_schema(name))
    service.components[f"{key}.answer"] = _without_dialect(ruleset.answer_schema(name))

    async def decide(
        request: Request,
        as_of: str | None = _AS_OF,
        explain: Literal["fr", "en"] | None = Query(
            None, description="add the explanation in this language"
        ),
    ) -> Response:
        return JSONResponse(await service.decide(ruleset, name, request, as_of, explain))

    spec = ruleset.decision_spec(name)
    app.add_api_route(
        f"/rulesets/{ruleset.id}/decisions/{name}",
        decide,
        methods=["POST"],
        operation_id=f"decide:{key}",
        summary=f"{ruleset.id} / {name}: {spec.title}",
        tags=[ruleset.id],
        openapi_extra={
            "requestBody": {
                "required": True,
                "description": "the facts, one JSON object (null or absent: not given)",
                "content": {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{key}.facts"}}
                },
            },
            "responses": {
                "200": {
                    "description": "the decision",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": f"#/components/schemas/{key}.answer"}
                        }
                    },
                },
                **_errors(413, 422, 503),
            },
        },
        response_class=JSONResponse,
    )

    async def table(
        request: Request,
        as_of: str | None = _AS_OF,
    ) -> Response:
        return JSONResponse(await service.decide_table(ruleset, name, request, as_of))

    facts_ref = {"$ref": f"#/components/schemas/{key}.facts"}
    app.add_api_route(
        f"/rulesets/{ruleset.id}/decisions/{name}/table",
        table,
        methods=["POST"],
        operation_id=f"table:{key}",
        summary=f"{ruleset.id} / {name} over a table (the columnar evaluator)",
        tags=[ruleset.id],
        openapi_extra={
            "requestBody": {
                "required": True,
                "description": "a table of facts: columns of cells, or rows of facts",
                "content": {
                    "application/json": {
                        "schema": {
                            "oneOf": [
                                {
                                    "type": "object",
                                    "additionalProperties": False,
                                    "required": ["rows"],
                                    "properties": {
                                        "rows": {
                                            "type": "array",
                                            "maxItems": MAX_ROWS,
                                            # each row as the facts schema says; a row that
                                            # is not is answered with its error, not refused
                                            "items": {"type": "object"},
                                            "description": "rows of facts (see "
                                            + facts_ref["$ref"]
                                            + "); an invalid row gets its one-line error",
                                        }
                                    },
                                },
                                {
                                    "type": "object",
                                    "additionalProperties": False,
                                    "required": ["columns"],
                                    "properties": {
                                        "columns": {
                                            "type": "object",
                                            "propertyNames": {"enum": list(spec.inputs)},
                                            "additionalProperties": {
                                                "type": "array",
                                                "maxItems": MAX_ROWS,
                                            },
                                        }
                                    },
                                },
                            ]
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "every row's answer, column by column",
                    "content": {"application/json": {"schema": _TABLE_ANSWER}},
                },
                **_errors(413, 422, 503),
            },
        },
        response_class=JSONResponse,
    )

    def show(request: Request) -> Response:
        return service.show(ruleset, name, request)

    app.add_api_route(
        f"/rulesets/{ruleset.id}/decisions/{name}",
        show,
        methods=["GET"],
        operation_id=f"show:{key}",
        summary=f"{ruleset.id} / {name}: outcomes, inputs, schemas (HTML form for text/html)",
        tags=[ruleset.id],
        responses={"200": {"content": {"text/html": {"schema": {"type": "string"}}}}},
    )


def create_app(
    rulesets: Sequence[str] | None = None,
    *,
    max_body: int = MAX_BODY,
    time_limit: float = TIME_LIMIT,
) -> BodyLimit:
    """The ASGI application serving ``rulesets`` (default: every bundled one).

    ``rulesets`` are bundled ids or paths of ruleset files, chosen by the program; each is
    served under the id it declares, and a URL can name nothing else."""
    service = Service(rulesets, max_body=max_body, time_limit=time_limit)
    app = FastAPI(
        title="convention_rules",
        version=library_version(),
        summary="French partnership agreements as executable, explained decisions",
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN: the server stays offline
        redoc_url=None,
    )
    _add_error_handlers(app)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> HTMLResponse:
        return HTMLResponse(
            index_page(service.rulesets.values()),
            headers={"content-security-policy": "default-src 'none'; style-src 'unsafe-inline'"},
        )

    @app.get("/rulesets", summary="the rulesets served, with their decisions")
    def list_rulesets() -> list[dict[str, Any]]:
        return [
            {"id": rs.id, "title": rs.title, "decisions": list(rs.decisions)}
            for rs in service.rulesets.values()
        ]

    @app.get(
        "/rulesets/{ruleset}",
        summary="one ruleset: versions, decisions, schemas",
        responses=_errors(404, 422),
    )
    def get_ruleset(ruleset: str) -> dict[str, Any]:
        return service.describe(service.ruleset(ruleset))

    for rs in service.rulesets.values():
        for name in rs.decisions:
            _add_decision_routes(app, service, rs, name)

    @app.get(
        "/rulesets/{ruleset}/decisions/{decision}",
        summary="one decision: outcomes, inputs, schemas (an HTML form for text/html)",
        responses={
            "200": {"content": {"text/html": {"schema": {"type": "string"}}}},
            **_errors(404, 422),
        },
    )
    def get_decision(ruleset: str, decision: str, request: Request) -> Response:
        return service.show(service.ruleset(ruleset), decision, request)

    @app.post(
        "/rulesets/{ruleset}/decisions/{decision}",
        summary="a decision that is not served: 404",
        responses=_errors(404, 413, 422, 503),
    )
    def unknown_decision(ruleset: str, decision: str) -> Response:
        found = service.ruleset(ruleset)
        found.decision_spec(decision)  # raises UnknownNameError: served ones have their route
        raise UnknownNameError(f"no decision {decision!r} in {ruleset!r}")  # pragma: no cover

    @app.get(
        "/ui/{ruleset}/{decision}",
        response_class=HTMLResponse,
        summary="the HTML form of one decision",
        responses=_errors(404, 422),
    )
    def ui(ruleset: str, decision: str) -> Response:
        found = service.ruleset(ruleset)
        found.decision_spec(decision)
        return _page(found, decision)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description=(
                    "Each decision is a POST route whose body follows its facts schema and whose "
                    "answer follows its answer schema (components). Errors are "
                    '{"error": "one line"}.'
                ),
                routes=app.routes,
            )
            document.setdefault("components", {}).setdefault("schemas", {}).update(
                service.components
            )
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override
    return BodyLimit(app, max_body)


def _wants_html(accept: str) -> bool:
    """Whether an Accept header prefers HTML to JSON (a browser's does)."""
    kinds = [part.split(";")[0].strip().lower() for part in accept.split(",")]
    return "text/html" in kinds and (
        "application/json" not in kinds
        or kinds.index("text/html") < kinds.index("application/json")
    )


def _page(ruleset: Ruleset, decision: str) -> HTMLResponse:
    page, nonce = decision_page(ruleset, decision)
    return HTMLResponse(
        page,
        headers={
            # Everything is inline; nothing may load from elsewhere.
            "content-security-policy": (
                f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; "
                "connect-src 'self'; form-action 'none'; base-uri 'none'"
            ),
            "x-content-type-options": "nosniff",
        },
    )


def _methods_of(app: FastAPI, request: Request) -> list[str]:
    """The methods of every route whose path matches the request's."""
    methods: set[str] = set()
    for route in app.router.routes:
        match, _ = route.matches(request.scope)
        if match is not Match.NONE and isinstance(route, APIRoute):
            methods |= route.methods or set()
    return sorted(methods)


def _add_error_handlers(app: FastAPI) -> None:
    async def fact_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, FactError)
        return _error(422, str(exc), fact=exc.fact, expected=exc.expected)

    async def unknown_name(request: Request, exc: Exception) -> Response:
        return _error(404, str(exc))

    async def evaluation_error(request: Request, exc: Exception) -> Response:
        return _error(422, str(exc))

    async def other_library_error(request: Request, exc: Exception) -> Response:
        return _error(422, str(exc))

    async def too_large(request: Request, exc: Exception) -> Response:
        return _error(413, str(exc))

    async def timeout(request: Request, exc: Exception) -> Response:
        return _error(503, "the decision did not finish within the time limit")

    async def invalid_request(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problems = []
        for problem in exc.errors():
            where = ".".join(str(part) for part in problem.get("loc", ()))
            problems.append(f"{where}: {problem.get('msg', 'invalid')}")
        return _error(422, "; ".join(problems) or "invalid request")

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        headers = {k: v for k, v in (exc.headers or {}).items() if k.lower() != "allow"}
        if exc.status_code == 405:  # every method of the path, not only its first route's
            headers["allow"] = ", ".join(_methods_of(app, request))
        return JSONResponse(
            {"error": _one_line(str(exc.detail))}, status_code=exc.status_code, headers=headers
        )

    async def unexpected(request: Request, exc: Exception) -> Response:
        _log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _error(500, "internal error")

    app.add_exception_handler(FactError, fact_error)
    app.add_exception_handler(UnknownNameError, unknown_name)
    app.add_exception_handler(EvaluationError, evaluation_error)
    app.add_exception_handler(ConventionRulesError, other_library_error)
    app.add_exception_handler(BodyTooLargeError, too_large)
    app.add_exception_handler(TimeoutError, timeout)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)
