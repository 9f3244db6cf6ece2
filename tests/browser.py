"""A real headless Chromium (Debian's, through its chromedriver) for the facilitator screen.

Time in the page is the test's: `Date.now` is replaced before the page's script runs, in
every document of the window (across reloads too), so a test can move the clock by minutes.
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
  window.__now = %d;
  Date.now = () => window.__now;
  window.__setNow = (ms) => { window.__now = ms; };
})();
"""
"""The page's clock. It is given to each new document as it is made (a reload included)
by the browser itself: kept in the page's sessionStorage instead, a reload read the value
before the last write about one time in twenty."""


_KEYS = {
    "ArrowRight": "\ue014", "ArrowLeft": "\ue012", "ArrowUp": "\ue013", "ArrowDown": "\ue015",
    "PageDown": "\ue00f", "PageUp": "\ue00e", "Escape": "\ue00c", "Enter": "\ue007",
    "Tab": "\ue004", "Backspace": "\ue003",
}  # fmt: skip
"""WebDriver's codes of the named keys (selenium's `Keys`)."""


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

    def open(self, path: Path | str, now_ms: int, size: tuple[int, int] = (1280, 720)) -> None:
        """Open `path` (a file, or a file's address with a `#fragment`) in this window, with
        nothing kept from before (its storage cleared) and its clock at `now_ms`."""
        d = self.driver
        d.execute_cdp_cmd("Network.enable", {})
        d.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": False},
        )
        d.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": ZONE})
        self._clock(now_ms)
        d.get("about:blank")
        d.get(path if isinstance(path, str) else path.as_uri())
        d.execute_script("sessionStorage.clear(); localStorage.clear();")
        d.refresh()

    def open_window(self, address: str, now_ms: int, size: tuple[int, int] = (1280, 720)) -> str:
        """A second window on `address` (keeping the storage the first has), its clock at
        `now_ms`; the window is current afterwards. Returns its handle."""
        d = self.driver
        d.switch_to.new_window("window")
        d.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": False},
        )
        d.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": ZONE})
        self._clock(now_ms)
        d.get(address)
        return str(d.current_window_handle)

    def _clock(self, ms: int) -> None:
        d = self.driver
        scripts: dict[str, str] = self.__dict__.setdefault("_scripts", {})
        handle = d.current_window_handle
        if handle in scripts:
            d.execute_cdp_cmd(
                "Page.removeScriptToEvaluateOnNewDocument", {"identifier": scripts[handle]}
            )
        added = d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _CLOCK % ms})
        scripts[handle] = added["identifier"]

    def set_now(self, ms: int) -> None:
        """Move the clock of the current window's page, and let it draw at once (as when
        the other window acts, a storage event; its own timer would take up to a second)."""
        self._clock(ms)
        self.driver.execute_script(
            "window.__setNow(arguments[0]);"
            "window.dispatchEvent(new StorageEvent('storage', {key: null}));",
            ms,
        )

    def press(self, key: str) -> None:
        """A real key press (`" "`, `"k"`, `"ArrowRight"`, `"PageDown"`), to whatever has
        the focus, as the facilitator's keyboard or clicker sends it."""
        from selenium.webdriver.common.action_chains import ActionChains

        ActionChains(self.driver).send_keys(_KEYS.get(key, key)).perform()

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
