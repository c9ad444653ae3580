"""What both browser tests share: the built binary, free ports, waiting for a server, and a
headless Chromium (Debian's chromium and chromedriver; --no-sandbox because tests run as root)."""
import socket
import time
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[2]
BINARY = ROOT / ".build" / "debug" / "dateline"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(base):
    """Polls the home page until `dateline serve` answers (at most 20 seconds)."""
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/", timeout=1)
            return
        except OSError:
            time.sleep(0.2)


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()
