"""axe-core in the page under test (the copy bundled by the pinned ``axe-playwright-python``)."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

GRAVE = ("serious", "critical")
_AXE = Axe()


def grave_violations(page: Page) -> list[str]:
    """The serious and critical axe violations of the page as it is, one line each: rule, impact, where."""
    results = _AXE.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} {node.get('failureSummary', '')[:160]!r}"
        for violation in results.response["violations"]
        if violation["impact"] in GRAVE
        for node in violation["nodes"]
    ]
