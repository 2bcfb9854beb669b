"""pytest plugin for CI (`CI=true make test`): a skipped test fails the run.

Loaded by scripts/test.sh only when CI=true. A skip there means something the suite needs (a
browser, a server) was missing, and the run would pass without having tested it. Expected
failures (xfail) are not skips.
"""

import pytest

_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # With pytest-xdist the controller receives every worker's reports here.
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append(report.nodeid)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _skipped and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _skipped:
        terminalreporter.section("CI=true: skipped tests fail the run", red=True, bold=True)
        for nodeid in _skipped:
            terminalreporter.write_line(f"SKIPPED {nodeid}")
