"""The HTML page of a decision, driven in headless Chromium (Debian's chromium and chromium-driver).

A person's path: open the page the server generates from the facts' schema, fill the form,
press *Decide*, read the outcome and the explanation the page shows. The expected outcomes are
the agreements' (hand-computed in the case files). `.ci/run` installs Chromium when it is
missing; outside CI the test skips, with the reason, only when Chromium is not installed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from serving import running

from convention_rules.service.app import create_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

if CHROMIUM is None or DRIVER is None:  # pragma: no cover
    reason = "Debian's chromium and chromium-driver are not installed (.ci/run installs them)"
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason, allow_module_level=True)

from selenium import webdriver  # noqa: E402 (only once Chromium is known to be there)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with running(create_app(["gsot-master", "occitanie-forpro-sup"])) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    assert CHROMIUM is not None
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.set_page_load_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()


def _open(browser: Any, url: str) -> None:
    browser.get(url)
    WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.ID, "answer").get_attribute("data-state") == "ready"
    )


def _set(browser: Any, name: str, value: str) -> None:
    """Type into a field (date inputs get their ISO value, as a date picker sets it)."""
    field = browser.find_element(By.ID, name)
    if field.get_attribute("type") == "date":
        browser.execute_script("arguments[0].value = arguments[1];", field, value)
    else:
        field.clear()
        field.send_keys(value)


def _decide(browser: Any) -> dict[str, str]:
    browser.execute_script("document.getElementById('answer').dataset.state = 'waiting';")
    browser.find_element(By.ID, "decide").click()
    WebDriverWait(browser, 10).until(
        lambda d: (
            d.find_element(By.ID, "answer").get_attribute("data-state") == "done"
            or d.find_element(By.ID, "error").text
        )
    )
    return {
        part: browser.find_element(By.ID, part).text
        for part in ("outcome", "values", "missing", "explanation", "error")
    }


def test_the_opening_form_art_3_1(browser: Any, base_url: str) -> None:
    _open(browser, f"{base_url}/ui/gsot-master/opening")
    assert browser.find_element(By.ID, "fact-admitted_candidates").get_attribute("type") == "number"
    _set(browser, "fact-admitted_candidates", "5")
    _set(browser, "as_of", "2024-09-01")
    Select(browser.find_element(By.ID, "lang")).select_by_value("fr")
    shown = _decide(browser)
    # « un nombre minimum de 6 candidats »: five do not open it, one is missing
    assert shown["outcome"] == "does_not_open"
    assert shown["values"] == "missing_candidates = 1"
    assert shown["missing"] == "none"
    assert "un nombre minimum de 6 candidats" in shown["explanation"]
    assert shown["error"] == ""


def test_booleans_have_a_not_known_choice(browser: Any, base_url: str) -> None:
    _open(browser, f"{base_url}/rulesets/occitanie-forpro-sup/decisions/eligibility")
    radios = browser.find_elements(By.CSS_SELECTOR, "input[name='registered_jobseeker']")
    assert [r.get_attribute("value") for r in radios] == ["", "true", "false"]
    assert radios[0].is_selected()  # not known, until the person says otherwise
    _set(browser, "fact-initial_education_end", "2022-06-30")
    _set(browser, "fact-training_entry", "2024-09-02")
    _set(browser, "as_of", "2025-01-01")
    shown = _decide(browser)
    assert shown["outcome"] == "undetermined"
    assert shown["missing"] == "registered_jobseeker"
    radios[1].click()  # yes: art. 3-2, left 2022-06-30, entry after 2024-06-30
    shown = _decide(browser)
    assert shown["outcome"] == "eligible"
    assert shown["values"] == 'eligible_from = "2024-07-01"'
    radios[2].click()  # no: not a registered jobseeker
    assert _decide(browser)["outcome"] == "ineligible"


def test_enums_are_selects_and_errors_are_shown(browser: Any, base_url: str) -> None:
    _open(browser, f"{base_url}/ui/gsot-master/training_fee")
    select = Select(browser.find_element(By.ID, "fact-contract"))
    assert [o.get_attribute("value") for o in select.options] == [
        "",
        "apprenticeship",
        "continuing_education",
        "professionalisation",
    ]
    select.select_by_value("professionalisation")
    _set(browser, "as_of", "2024-09-01")
    shown = _decide(browser)
    assert (shown["outcome"], shown["values"]) == ("fee_set", 'fee = "8645.00"')  # art. 5
    _open(browser, f"{base_url}/ui/gsot-master/appeal")
    calendar = Select(browser.find_element(By.ID, "fact-calendar"))
    assert calendar.options[0].text == "(default: FR)"  # empty is the declared default
    _open(browser, f"{base_url}/ui/gsot-master/opening")
    _set(browser, "fact-admitted_candidates", "-1")
    shown = _decide(browser)
    assert "admitted_candidates" in shown["error"]
    assert "minimum" in shown["error"]
    assert shown["outcome"] == ""
