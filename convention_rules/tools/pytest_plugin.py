"""pytest plugin: collect ``*.cases.yaml`` files and run each case as a test.

Registered through the ``pytest11`` entry point, so any project that installs
``convention_rules`` can keep case files beside its rulesets.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from convention_rules.tools.casefiles import (
    Case,
    CaseFailure,
    check_case,
    read_cases,
    render_failure,
)


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.name.endswith(".cases.yaml"):
        return CaseFile.from_parent(parent, path=file_path)
    return None


class CaseFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        for case in read_cases(self.path):
            yield CaseItem.from_parent(self, name=f"{case.decision}: {case.name}", case=case)


class CaseFailedError(Exception):
    def __init__(self, failure: CaseFailure) -> None:
        super().__init__(str(failure))
        self.failure = failure


class CaseItem(pytest.Item):
    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        failure = check_case(self.case)
        if failure is not None:
            raise CaseFailedError(failure)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CaseFailedError):
            return render_failure(
                excinfo.value.failure
            )  # the same report as `convention-rules test`
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.case.loc.line - 1, f"case {self.case.name}"
