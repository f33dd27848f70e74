"""The demo: explained decisions on each bundled agreement, in French as a caseworker reads them.

The scenarios are the cases marked ``demo: true`` in the bundled case files,
so what the demo shows is also checked against a hand computation. Each
scenario prints the command that asks it, runnable as printed in bash
(``--facts -`` reads the facts from the here-string), and is followed by its
counterfactuals (what would change the answer).
"""

from __future__ import annotations

import json
import shlex

from convention_rules._registry import bundled_dir, bundled_rulesets, load_ruleset
from convention_rules.tools.casefiles import compare, decide_case, read_cases
from convention_rules.whatif import explain_what_if, what_if


def demo() -> str:
    """The demo's text: for each bundled ruleset, its demo cases explained."""
    out: list[str] = []
    for ruleset_id in bundled_rulesets():
        ruleset = load_ruleset(ruleset_id)
        out.append("=" * 78)
        out.append(f"{ruleset.id}: {ruleset.title}")
        out.append(f"source: {ruleset.source}")
        cases_file = bundled_dir() / f"{ruleset_id}.cases.yaml"
        cases = [c for c in read_cases(cases_file) if c.demo] if cases_file.is_file() else []
        if not cases:
            out.append("  (no demo case)")
        for case in cases:
            out.append("")
            out.append(f"Q: {case.name}")
            facts = json.dumps(case.facts, ensure_ascii=False)
            as_of = f" --as-of {case.as_of}" if case.as_of else ""
            command = f"convention-rules explain {ruleset_id} {case.decision}{as_of}"
            out.append(f"$ {command} --what-if --facts - <<< {shlex.quote(facts)}")
            decision = decide_case(case)
            out.append(decision.explain("fr").rstrip("\n"))
            found = what_if(ruleset, case.decision, case.facts, as_of=decision.as_of)
            out.append(explain_what_if(found))
            verdict = "matches" if compare(case, decision) is None else "DOES NOT MATCH"
            out.append(f"  [{verdict} the hand computation: {case.why}]")
        out.append("")
    return "\n".join(out) + "\n"
