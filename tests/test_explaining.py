"""Explanations for people (convention_rules/explaining): sentences written by hand from the texts.

Each expected sentence below was written from the agreement and a hand computation
(the ``why`` of its case), in the catalogues' words; none was copied from a run.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from convention_rules import ConventionRulesError, Decision, bundled_rulesets, load_ruleset
from convention_rules._registry import bundled_dir
from convention_rules.tools.casefiles import decide_case, read_cases

NNBSP, NBSP = "\u202f", "\u00a0"  # babel's fr_FR group separator and the space before €
LABELS = Path(__file__).resolve().parent.parent / "convention_rules" / "explaining" / "labels"


def _eligibility(facts: dict[str, object]) -> Decision:
    return load_ruleset("occitanie-forpro-sup").decide("eligibility", facts, as_of=date(2025, 1, 1))


ELIGIBLE = {
    "registered_jobseeker": True,
    "initial_education_end": "2022-06-30",
    "training_entry": "2024-09-02",
}


def test_french_eligibility_reads_as_a_caseworker_writes_it() -> None:
    # Art. 3-2: out of initial education "depuis plus de deux ans": 2022-06-30 + 2 years
    # = 2024-06-30 (CPC 641), so the first eligible entry is 1 July 2024.
    lines = _eligibility(ELIGIBLE).explain("fr").splitlines()
    assert (
        lines[1]
        == "Au 1 janvier 2025, la personne relève du public des actions de formation ForPro Sup."
    )
    assert "- éligible pour une entrée en formation à partir du : 1 juillet 2024" in lines
    assert "  calcul : two_years_out + 1 day" in lines
    assert "- Règle two-year-rule, article 3-2 (004_f8a64754de9174ad.txt) :" in lines
    assert (
        "  faits retenus : inscription comme demandeur d'emploi (registered_jobseeker) = oui ; "
        "date de sortie de formation initiale (initial_education_end) = 30 juin 2022 ; "
        "date d'entrée en formation (training_entry) = 2 septembre 2024"
    ) in lines


def test_english_eligibility() -> None:
    lines = _eligibility(ELIGIBLE).explain("en").splitlines()
    assert (
        lines[1]
        == "On 1 January 2025, the person is in the public of the ForPro Sup training actions."
    )
    assert "- eligible for an entry into training from: 1 July 2024" in lines
    assert "- Rule two-year-rule, article 3-2 (004_f8a64754de9174ad.txt):" in lines


def test_a_missing_fact_says_which_rules_need_it_and_that_it_is_not_false() -> None:
    # Art. 3-2 reads the entry date in both its rules; art. 8 dates the decision by it too
    # (the four academic years, 2022-09-01 to 2026-08-31): an entry outside them is not in force.
    text = _eligibility({"registered_jobseeker": True, "initial_education_end": "2022-06-30"})
    lines = text.explain("fr").splitlines()
    assert (
        lines[1]
        == "Au 1 janvier 2025, la réponse ne peut pas encore être donnée : il manque des faits."
    )
    assert (
        "- date d'entrée en formation (training_entry) : nécessaire à la règle two-year-rule "
        "(article 3-2), qui peut conclure que la personne relève du public des actions de "
        "formation ForPro Sup, la règle left-initial-education-too-recently (article 3-2), "
        "qui peut conclure que la personne ne relève pas du public des actions de formation "
        "ForPro Sup et la règle outside-term (article 8), qui peut conclure que la convention "
        "n'est pas en vigueur à cette date."
    ) in lines
    assert lines[-1].endswith("un fait absent n'est jamais tenu pour faux.")


def test_money_in_french_and_english() -> None:
    # Art. 5: "8645 € en contrat de professionnalisation".
    fee = load_ruleset("gsot-master").decide(
        "training_fee", {"contract": "professionalisation"}, as_of=date(2024, 9, 1)
    )
    assert f"- coût de la formation : 8{NNBSP}645,00{NBSP}€" in fee.explain("fr").splitlines()
    assert "- cost of the training: €8,645.00" in fee.explain("en").splitlines()
    assert "  valeur fixée par la convention (professionalisation_fee)" in fee.explain("fr")


def test_instalments_show_amounts_dates_and_the_formula_with_the_facts() -> None:
    # 8645.00 x 40 % = 3458.00 and the rest 5187.00; jury 2024-06-20 + 3 months = 2024-09-20.
    facts = {"amount": "8645.00", "first_semester_end": "2024-01-31", "jury_date": "2024-06-20"}
    schedule = load_ruleset("gsot-master").decide("payment_schedule", facts, as_of=date(2024, 9, 1))
    text = schedule.explain("fr")
    assert f"- premier versement : 3{NNBSP}458,00{NBSP}€" in text.splitlines()
    assert f"- second versement : 5{NNBSP}187,00{NBSP}€" in text.splitlines()
    assert "- second versement dû au plus tard le : 20 septembre 2024" in text.splitlines()
    assert f"montant à verser (amount) = 8{NNBSP}645,00{NBSP}€" in text


def test_faults_are_named_by_their_labels_not_as_a_python_list() -> None:
    # Art. 3-6: "Un à deux enseignants": three teachers are one fault.
    jury = load_ruleset("gsot-master").decide(
        "jury_composition",
        {"president_is_iep_lead": True, "askoria_members": 1, "teachers": 3, "professionals": 1},
        as_of=date(2024, 9, 1),
    )
    assert "- points non conformes : nombre d'enseignants (teachers)" in jury.explain("fr")
    assert "- requirements not met: teachers (teachers)" in jury.explain("en")
    assert "['teachers']" not in str(jury)


def test_the_version_in_force_is_named() -> None:
    contribution = load_ruleset("departement-askoria").decide(
        "research_contribution", {"synthesis_shared": "2025-11-15"}, as_of=date(2025, 11, 20)
    )
    lines = contribution.explain("fr").splitlines()
    assert lines[1] == "Au 20 novembre 2025, la contribution du Département est due."
    assert lines[2] == "Texte en vigueur à cette date : l'avenant 2025."


def test_markdown_quotes_the_clause_and_shows_the_formula_as_code() -> None:
    text = _eligibility(ELIGIBLE).explain("fr", "markdown")
    assert (
        "**Au 1 janvier 2025, la personne relève du public des actions de formation ForPro Sup.**"
        in text
    )
    assert "  > « Dans le cadre des actions de formation" in text
    assert "`two_years_out + 1 day`" in text
    assert "eligible_from" not in text  # the value's label, not its name


def test_rich_is_styled_for_a_terminal_and_text_is_plain() -> None:
    decision = _eligibility(ELIGIBLE)
    assert "\x1b[" in decision.explain("fr", "rich")
    assert "\x1b[" not in decision.explain("fr", "text")


def test_unknown_language_or_format_is_a_typed_error() -> None:
    decision = _eligibility(ELIGIBLE)
    with pytest.raises(ConventionRulesError, match="unknown language de"):
        decision.explain("de")
    with pytest.raises(ConventionRulesError, match="format inconnu html"):
        decision.explain("fr", "html")


def _demo_cases() -> list[tuple[str, object]]:
    return [
        (f"{ruleset_id}: {case.name}", case)
        for ruleset_id in bundled_rulesets()
        for case in read_cases(bundled_dir() / f"{ruleset_id}.cases.yaml")
        if case.demo
    ]


_REPR = re.compile(
    r"\['|datetime\.|Decimal\(|Money\(|Rate\(|\bNone\b|\bTrue\b|\bFalse\b|UNKNOWN|ABSENT"
)


@pytest.mark.parametrize(("name", "case"), _demo_cases(), ids=[n for n, _ in _demo_cases()])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_demo_case_is_explained_in_words(name: str, case: object, lang: str) -> None:
    decision = decide_case(case)  # type: ignore[arg-type]
    text = decision.explain(lang)
    assert not _REPR.search(text), text
    # every outcome, value and fact shown has its label in the catalogue
    labels = yaml.safe_load((LABELS / f"{decision.ruleset}.yaml").read_text(encoding="utf-8"))
    labels = labels[lang]
    common = yaml.safe_load((LABELS.parent / "messages" / f"{lang}.yaml").read_text("utf-8"))
    outcomes = {**common["outcomes"], **labels["decisions"][decision.decision]["outcomes"]}
    assert decision.outcome in outcomes
    assert set(decision.values) <= set(labels["values"]) | set(common["term_values"])
    assert {fact for entry in decision.trace for fact in entry.facts} <= set(labels["facts"])
    assert set(decision.missing) <= set(labels["facts"])
    if lang == "fr":
        # the readings of the demo cases are translated, none left in English
        assert "rédigée en anglais" not in text


def test_labels_name_only_what_the_rulesets_declare() -> None:
    for path in sorted(LABELS.glob("*.yaml")):
        ruleset = load_ruleset(path.stem)
        decisions = {name: ruleset.decision_spec(name) for name in ruleset.decisions}
        values = {
            v.name
            for spec in decisions.values()
            for v in (*spec.values, *(x for rule in spec.rules for x in rule.values))
        } | {spec.problems_value for spec in decisions.values() if spec.problems_value}
        for lang, labels in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            assert lang in ("fr", "en"), path
            assert set(labels.get("facts", {})) <= set(ruleset.facts), (path, lang)
            assert set(labels.get("values", {})) <= values, (path, lang)
            assert set(labels.get("versions", {})) <= {v.id for v in ruleset.versions}
            for name, decision in labels.get("decisions", {}).items():
                assert set(decision.get("outcomes", {})) <= set(decisions[name].outcomes)
            for name, readings in labels.get("readings", {}).items():
                rules = {rule.id for rule in decisions[name].rules} | {"otherwise"}
                rules |= {f"value {v}" for v in values}
                assert set(readings) <= rules, (path, name)


def test_every_reading_of_every_bundled_ruleset_is_translated_into_french() -> None:
    untranslated = []
    for ruleset_id in bundled_rulesets():
        ruleset = load_ruleset(ruleset_id)
        labels = yaml.safe_load((LABELS / f"{ruleset_id}.yaml").read_text(encoding="utf-8"))
        readings = labels["fr"].get("readings", {})
        for _, decisions in ruleset._in_force.values():
            for name, spec in decisions.items():
                # the reading generated for <rule>.expires-first is the catalogue's phrase
                keys = {
                    rule.id
                    for rule in spec.rules
                    if rule.reading and not rule.id.endswith(".expires-first")
                }
                keys |= {
                    f"value {v.name}"
                    for v in (*spec.values, *(x for rule in spec.rules for x in rule.values))
                    if v.reading
                }
                if spec.otherwise is not None and spec.otherwise.reading:
                    keys.add("otherwise")
                untranslated += [
                    f"{ruleset_id}/{name}/{key}" for key in keys - set(readings.get(name, {}))
                ]
    assert untranslated == []


def test_the_term_outcomes_are_explained_with_the_days_of_the_term() -> None:
    # Art. 8: the convention runs from 1 September 2022 to 31 August 2026; an entry on
    # 2 September 2030 falls after it, whatever art. 3-2 would say.
    entry = {**ELIGIBLE, "training_entry": "2030-09-02"}
    late = load_ruleset("occitanie-forpro-sup").decide("eligibility", entry, as_of=date(2030, 9, 2))
    lines = late.explain("fr").splitlines()
    assert lines[1] == "Au 2 septembre 2030, la convention n'est pas en vigueur à cette date."
    assert "- premier jour d'application de la convention : 1 septembre 2022" in lines
    assert "- dernier jour d'application de la convention : 31 août 2026" in lines
    assert "- Règle outside-term, article 8 (004_f8a64754de9174ad.txt) :" in lines
    assert "- first day in force: 1 September 2022" in late.explain("en").splitlines()


def test_a_notice_outlived_by_the_term_is_explained_from_the_catalogue() -> None:
    # Art. 10: six months' notice from 1 May 2026 takes effect on 1 November 2026, after the
    # last day of art. 8 (31 August 2026): the convention ends by its own term first.
    notice = load_ruleset("occitanie-forpro-sup").decide(
        "termination", {"ground": "notice", "notice_date": "2026-05-01"}, as_of=date(2026, 5, 1)
    )
    lines = notice.explain("fr").splitlines()
    assert lines[1] == (
        "Au 1 mai 2026, la convention prend fin par son terme "
        "avant que la résiliation prenne effet."
    )
    assert "- date d'effet : 1 novembre 2026" in lines
    assert (
        "  lecture retenue : La résiliation prendrait effet après le 31 août 2026, dernier jour "
        "d'application de la convention ; celle-ci prend fin d'elle-même avant, par son terme, "
        "et la résiliation ne change rien."
    ) in lines
    english = notice.explain("en").splitlines()
    assert english[1] == (
        "On 1 May 2026, the agreement ends by its own term before the termination takes effect."
    )
    assert (
        "  reading applied: The termination would take effect after 31 August 2026, the last "
        "day in force; the agreement ends by its own term first, so the notice changes nothing."
    ) in english
