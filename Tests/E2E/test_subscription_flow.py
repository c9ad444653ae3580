"""End-to-end: a reader's subscription in a real browser (Debian's chromium and chromedriver,
driven by Selenium), against the real `dateline serve` on loopback delivering through a real
SMTP server (aiosmtpd, Tests/Tools/smtp_server.py). Messages are read with Python's email
package.

The reader signs up in the box on the home page, confirms with the link and the button, chooses
instant alerts, receives an alert when a release is published, and unsubscribes with the
one-click POST a mail provider sends (RFC 8058); the next release brings no mail."""
import email
import email.policy
import os
import subprocess
import tempfile
import time
import urllib.request

import pytest
from conftest import BINARY, ROOT, free_port, wait_until_serving
from selenium.webdriver.common.by import By
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.support.ui import WebDriverWait

PAGE_CHANGES = (NoSuchElementException, StaleElementReferenceException)


def messages(folder):
    """Every message the SMTP server accepted, parsed, in order."""
    found = []
    for name in sorted(n for n in os.listdir(folder) if n.endswith(".eml")):
        with open(os.path.join(folder, name), "rb") as handle:
            found.append(email.message_from_binary_file(handle, policy=email.policy.default))
    return found


def wait_for_messages(folder, count, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        found = messages(folder)
        if len(found) >= count:
            return found
        time.sleep(0.2)
    pytest.fail(f"expected {count} messages in {folder}, found {len(messages(folder))}")


@pytest.fixture(scope="module")
def site():
    if not BINARY.exists():
        pytest.fail(f"{BINARY} is missing: run `swift build --build-tests` first")
    work = tempfile.mkdtemp(prefix="dateline-e2e-mail-")
    mail_folder = os.path.join(work, "received")
    smtp = subprocess.Popen(["python3", str(ROOT / "Tests/Tools/smtp_server.py"), "--folder", mail_folder],
                            stdout=subprocess.PIPE, text=True)
    smtp_port = int(smtp.stdout.readline().split()[1])
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, DATELINE_DATABASE_URL=f"{work}/site.sqlite", DATELINE_BASE_URL=base,
               DATELINE_SMTP_URL=f"smtp://127.0.0.1:{smtp_port}", DATELINE_MAIL_FROM="Dateline Wire <wire@example.org>")

    def dateline(*args):
        subprocess.run([str(BINARY), *args], cwd=ROOT, env=env, text=True, check=True, capture_output=True)

    dateline("import", "--publish", "--organization", "Rivers Trust", "Samples/nasa-new-horizons.txt")
    server = subprocess.Popen([str(BINARY), "serve", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_serving(base)
    yield {"base": base, "mail": mail_folder, "dateline": dateline}
    server.terminate()
    server.wait(timeout=10)
    smtp.terminate()
    smtp.wait(timeout=10)


def wait_for_text(browser, text):
    WebDriverWait(browser, 10, ignored_exceptions=PAGE_CHANGES).until(lambda driver: text in driver.page_source)


def test_subscribe_confirm_alert_unsubscribe(site, browser):
    base, folder = site["base"], site["mail"]

    # Sign up in the box on the home page.
    browser.get(base + "/")
    browser.find_element(By.ID, "signup-email").send_keys("reader@example.org")
    browser.find_element(By.CSS_SELECTOR, ".signup-form button[type=submit]").click()
    wait_for_text(browser, "Check your inbox")

    # The confirmation arrives; its link opens a page, and the button confirms.
    confirmation = wait_for_messages(folder, 1)[0]
    assert confirmation["To"] == "reader@example.org"
    assert confirmation["Subject"] == "Confirm your subscription to Dateline"
    text = confirmation.get_body(preferencelist=("plain",)).get_content()
    link = next(word for word in text.split() if word.startswith(base + "/subscription/confirm?token="))
    browser.get(link)
    browser.find_element(By.ID, "confirm-subscription").click()
    wait_for_text(browser, "Your subscription is confirmed")

    # Instant alerts instead of the daily digest.
    browser.find_element(By.CSS_SELECTOR, "input[name=cadence][value=instant]").click()
    browser.find_element(By.ID, "save-preferences").click()
    wait_for_text(browser, "Your choices are saved")

    # A release is published: the alert arrives through SMTP.
    site["dateline"]("import", "--publish", "--organization", "Rivers Trust", "Samples/amnesty-bolton.txt")
    alert = wait_for_messages(folder, 2)[1]
    assert alert["To"] == "reader@example.org"
    assert alert.get_content_type() == "multipart/alternative"
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = alert.get_body(preferencelist=("html",)).get_content()
    assert alert["Subject"] in html

    # One click, as a mail provider sends it (RFC 8058 §3.1).
    unsubscribe = alert["List-Unsubscribe"].strip("<>")
    request = urllib.request.Request(unsubscribe, data=b"List-Unsubscribe=One-Click", method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
        assert "You are unsubscribed" in response.read().decode()

    # The next release brings nothing.
    site["dateline"]("import", "--publish", "--organization", "Rivers Trust", "Samples/hrw-egypt-activists.txt")
    time.sleep(3)
    assert len(messages(folder)) == 2
