"""Headless Chromium for the player's browser tests and bench/bench.py:
Debian's `chromium` and `chromium-driver`, driven by selenium.

The network here is closed, so Chromium starts without its background
services (they would try to reach Google), with a fresh profile each time.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run")
MISSING = ("need Chromium, chromedriver and selenium "
           "(apt-get install chromium chromium-driver; pip install selenium)")


def available() -> bool:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return False
    return bool(CHROMIUM and DRIVER)


@contextmanager
def chromium(width: int = 1400, height: int = 900):
    """A selenium driver of headless Chromium with the browser console and
    the network log (`get_log("performance")`) recorded."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    with tempfile.TemporaryDirectory(prefix="handgrad-chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        driver = webdriver.Chrome(options=options, service=Service(DRIVER))
        try:
            # the browser's own start page loads chrome:// resources; let it, so
            # that a test's request log holds only what its page asked for
            driver.get("about:blank")
            driver.get_log("performance")
            yield driver
        finally:
            driver.quit()
