"""A small HTML page per decision: a form generated from the facts' schema.

Dates get date inputs, enums a select, whole numbers number inputs, booleans three
choices (not known, yes, no), amounts a text input; an empty field is an absent
fact. A few lines of inline vanilla JavaScript post the facts to the API and show
the outcome, the values, the missing facts and the explanation. Nothing loads from
elsewhere (the server sends a Content-Security-Policy that forbids it).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from convention_rules.deciding.ruleset import Ruleset

_STYLE = """
body { font: 16px/1.45 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem;
       color: #1d1d1f; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 1.6rem; }
fieldset { border: 1px solid #ccd; border-radius: 6px; margin: 0 0 .8rem; padding: .5rem .8rem; }
legend { font-weight: 600; font-family: ui-monospace, monospace; }
.help { color: #555; font-size: .9rem; margin: .1rem 0 .4rem; }
input, select, button { font: inherit; padding: .2rem .4rem; }
button { margin-top: .6rem; padding: .35rem 1rem; }
#outcome { font-weight: 700; font-size: 1.2rem; }
#error { color: #a00; }
pre { white-space: pre-wrap; background: #f5f5f7; padding: .6rem; border-radius: 6px; }
"""

_SCRIPT = """
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("config").textContent);
  var form = document.getElementById("facts");
  function show(id, text) { document.getElementById(id).textContent = text; }
  function factsOf() {
    var facts = {};
    config.fields.forEach(function (field) {
      var value;
      if (field.kind === "boolean") {
        var checked = form.querySelector("input[name='" + field.name + "']:checked");
        value = checked ? checked.value : "";
        if (value === "") { return; }
        facts[field.name] = value === "true";
        return;
      }
      value = form.elements[field.name].value.trim();
      if (value === "") { return; }
      if (field.kind === "integer") {
        facts[field.name] = /^-?[0-9]+$/.test(value) ? Number(value) : value;
      } else if (field.kind === "list") {
        facts[field.name] = value.split(",").map(function (item) {
          item = item.trim();
          return field.items === "integer" && /^-?[0-9]+$/.test(item) ? Number(item) : item;
        });
      } else {
        facts[field.name] = value;
      }
    });
    return facts;
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = new URLSearchParams();
    query.set("explain", form.elements["lang"].value);
    var asOf = form.elements["as_of"].value;
    if (asOf !== "") { query.set("as_of", asOf); }
    show("status", "deciding…");
    fetch(config.url + "?" + query.toString(), {
      method: "POST",
      headers: {"content-type": "application/json", "accept": "application/json"},
      body: JSON.stringify(factsOf())
    }).then(function (response) {
      return response.json().then(function (body) { return {ok: response.ok, body: body}; });
    }).then(function (result) {
      var body = result.body;
      show("status", "");
      if (!result.ok) {
        show("outcome", ""); show("values", ""); show("missing", ""); show("explanation", "");
        show("error", body.error || "error");
        return;
      }
      show("error", "");
      show("outcome", body.outcome);
      show("values", Object.keys(body.values).map(function (name) {
        return name + " = " + JSON.stringify(body.values[name]);
      }).join("\\n"));
      show("missing", body.missing.length ? body.missing.join(", ") : "none");
      show("explanation", body.explanation || "");
      document.getElementById("answer").dataset.state = "done";
    }).catch(function (problem) {
      show("status", ""); show("error", String(problem));
    });
  });
  document.getElementById("answer").dataset.state = "ready";
})();
"""


def _kind(prop: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """What input a fact's schema calls for, and that branch of the schema."""
    branches = [b for b in prop.get("anyOf", [prop]) if b.get("type") != "null"]
    types = {b.get("type") for b in branches}
    first = branches[0]
    if any(b.get("format") == "date" for b in branches):
        return "date", first
    if "enum" in first:
        return "enum", first
    if types == {"string", "integer"}:
        return "money", first
    if types == {"integer"}:
        return "integer", first
    if types == {"boolean"}:
        return "boolean", first
    if types == {"array"}:
        return "list", first
    return "text", first


def _field(name: str, prop: Mapping[str, Any]) -> tuple[str, dict[str, str]]:
    """The HTML of one fact's input, and what the script needs to read it."""
    kind, branch = _kind(prop)
    label = escape(name)
    ident = f"fact-{label}"
    help_text = escape(str(prop.get("description", "")))
    field = {"name": name, "kind": kind}
    if kind == "boolean":
        choices = "".join(
            f'<label><input type="radio" name="{label}" value="{value}"'
            f"{' checked' if value == '' else ''}> {text}</label> "
            for value, text in (("", "not known"), ("true", "yes"), ("false", "no"))
        )
        control = f'<span id="{ident}">{choices}</span>'
    elif kind == "enum":
        empty = f"(default: {prop['default']})" if "default" in prop else "(not known)"
        options = f'<option value="">{escape(empty)}</option>' + "".join(
            f'<option value="{escape(word)}">{escape(word)}</option>' for word in branch["enum"]
        )
        control = f'<select id="{ident}" name="{label}">{options}</select>'
    elif kind == "date":
        control = f'<input type="date" id="{ident}" name="{label}">'
    elif kind == "integer":
        bounds = "".join(
            f' {attr}="{branch[key]}"'
            for attr, key in (("min", "minimum"), ("max", "maximum"))
            if key in branch
        )
        control = f'<input type="number" step="1"{bounds} id="{ident}" name="{label}">'
    elif kind == "money":
        control = (
            f'<input type="text" inputmode="decimal" id="{ident}" name="{label}" '
            'placeholder="8645.00"> €'
        )
    else:
        if kind == "list":
            item_kind, _ = _kind(branch.get("items", {}))
            field["items"] = item_kind
        control = f'<input type="text" id="{ident}" name="{label}">'
    html = f'<fieldset><legend>{label}</legend><p class="help">{help_text}</p>{control}</fieldset>'
    return html, field


def _script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def decision_page(ruleset: Ruleset, decision: str) -> tuple[str, str]:
    """The page of one decision, and the nonce its script runs under."""
    spec = ruleset.decision_spec(decision)
    schema = ruleset.facts_schema(decision)
    nonce = secrets.token_urlsafe(16)
    fields = [_field(name, prop) for name, prop in schema["properties"].items()]
    config = {
        "url": f"/rulesets/{ruleset.id}/decisions/{decision}",
        "fields": [field for _, field in fields],
    }
    inputs = "".join(html for html, _ in fields) or "<p>This decision reads no facts.</p>"
    outcomes = ", ".join(escape(o) for o in spec.outcomes)
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(ruleset.id)} / {escape(decision)}</title>
<style>{_STYLE}</style></head>
<body>
<p><a href="/">convention_rules</a> · {escape(ruleset.title)}</p>
<h1>{escape(spec.title)}</h1>
<p class="help">Decision <code>{escape(decision)}</code>; outcomes: {outcomes}, or undetermined
when a fact it needs is not known. Leave a field empty when the fact is not known.</p>
<form id="facts" novalidate>
{inputs}
<fieldset><legend>as_of</legend><p class="help">The day of the question (empty: today in
Europe/Paris).</p><input type="date" id="as_of" name="as_of"></fieldset>
<label>Explanation in <select id="lang" name="lang"><option value="fr">français</option>
<option value="en">English</option></select></label><br>
<button type="submit" id="decide">Decide</button> <span id="status"></span>
</form>
<section id="answer" data-state="loading">
<h2>Answer</h2>
<p>Outcome: <output id="outcome"></output></p>
<p id="error" role="alert"></p>
<pre id="values"></pre>
<p>Missing facts: <span id="missing"></span></p>
<pre id="explanation"></pre>
</section>
<script type="application/json" id="config">{_script_json(config)}</script>
<script nonce="{nonce}">{_SCRIPT}</script>
</body></html>
"""
    return page, nonce


def index_page(rulesets: Iterable[Ruleset]) -> str:
    """A list of every decision's page."""
    items = []
    for rs in rulesets:
        links = "".join(
            f'<li><a href="/ui/{escape(rs.id)}/{escape(name)}">{escape(name)}</a>: '
            f"{escape(rs.decision_spec(name).title)}</li>"
            for name in rs.decisions
        )
        items.append(f"<h2>{escape(rs.id)}</h2><p>{escape(rs.title)}</p><ul>{links}</ul>")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>convention_rules</title><style>{_STYLE}</style></head><body>"
        "<h1>convention_rules</h1><p>Decisions of the agreements served "
        '(<a href="/openapi.json">OpenAPI</a>).</p>' + "".join(items) + "</body></html>"
    )
