"""A real headless Chromium (Debian's, through its chromedriver) for the facilitator screen.

Time in the page is the test's: `Date.now` is replaced before the page's script runs
and kept across reloads in sessionStorage, so a test can move the clock by minutes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .cups import skip_or_fail

REPO = Path(__file__).parent.parent
AXE = REPO / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromedriver")
ZONE = "Europe/Copenhagen"

_CLOCK = """
(() => {
  let saved = null;
  try { saved = sessionStorage.getItem("test-now"); } catch (e) { return; }  // about:blank
  window.__now = saved === null ? %d : Number(saved);
  Date.now = () => window.__now;
  window.__setNow = (ms) => { window.__now = ms; sessionStorage.setItem("test-now", String(ms)); };
})();
"""


def unavailable() -> str | None:
    missing = [p for p in CHROMIUM if not os.access(p, os.X_OK)]
    if missing:
        return f"no {' or '.join(missing)} (Debian's chromium and chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "no selenium (pip install -e '.[test]')"
    return None


class Page:
    """One browser window on one file, its clock in the test's hands."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver

    def open(self, path: Path, now_ms: int, size: tuple[int, int] = (1280, 720)) -> None:
        d = self.driver
        d.execute_cdp_cmd("Network.enable", {})
        d.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": False},
        )
        d.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": ZONE})
        script = d.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument", {"source": _CLOCK % now_ms}
        )
        self._clock_script = script["identifier"]
        d.get("about:blank")
        d.get(path.as_uri())
        d.execute_script("sessionStorage.clear(); localStorage.clear();")
        d.execute_script("window.__setNow(arguments[0])", now_ms)
        d.refresh()

    def set_now(self, ms: int) -> None:
        self.driver.execute_script("window.__setNow(arguments[0])", ms)

    def press(self, key: str) -> None:
        """A key as the facilitator types it, to the page (not to a button)."""
        self.driver.execute_script(
            "document.activeElement && document.activeElement.blur();"
            "document.dispatchEvent("
            "  new KeyboardEvent('keydown', {key: arguments[0], bubbles: true}));",
            key,
        )

    def click(self, element_id: str) -> None:
        from selenium.webdriver.common.by import By

        self.driver.find_element(By.ID, element_id).click()

    def text(self, element_id: str) -> str:
        return str(self.driver.execute_script(
            "return document.getElementById(arguments[0]).textContent", element_id
        ))  # fmt: skip

    def timeline(self) -> list[tuple[str, str]]:
        """(clock span, title with minutes) of every slot in the timeline."""
        rows = self.driver.execute_script(
            "return [...document.querySelectorAll('#timeline li')]"
            ".map(li => [li.children[0].textContent, li.children[1].textContent])"
        )
        return [tuple(r) for r in rows]

    def state(self) -> dict[str, Any]:
        raw = self.driver.execute_script(
            "for (let i = 0; i < localStorage.length; i++) {"
            "  const k = localStorage.key(i);"
            "  if (k.startsWith('fremfaerd-kit:')) return localStorage.getItem(k); }"
            "return null;"
        )
        return json.loads(raw) if raw else {}

    def requests(self) -> list[str]:
        """Every URL the browser asked for since the last call (from its performance log)."""
        urls = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                urls.append(message["params"]["request"]["url"])
        return urls

    def axe(self) -> list[dict[str, Any]]:
        """The axe-core engine's violations of the page as it is now."""
        if not AXE.is_file():
            skip_or_fail(f"no {AXE} (make test-setup installs axe-core from npm)")
        self.driver.execute_script(AXE.read_text(encoding="utf-8"))
        self.driver.set_script_timeout(60)
        result = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations),"
            " e => done([{id: 'axe-error', impact: 'critical', description: String(e)}]));"
        )
        return list(result)

    def screenshot(self, path: Path, size: tuple[int, int]) -> None:
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": False},
        )
        self.driver.save_screenshot(str(path))

    def pdf(self) -> bytes:
        import base64

        out = self.driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": False})
        return base64.b64decode(out["data"])


def browser() -> Iterator[Page]:
    reason = unavailable()
    if reason:
        skip_or_fail(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM[0]
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                 "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-default-apps"):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMIUM[1]), options=options)
    try:
        yield Page(driver)
    finally:
        driver.quit()
