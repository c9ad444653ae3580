"""End-to-end: the newsroom workflow in a real browser (Debian's chromium and chromedriver,
driven by Selenium), against the real `dateline serve` on loopback with its own SQLite file.

A member signs in, writes a release and submits it; an editor signs in with a password and a
TOTP code from the enrolment page (its QR code read by zbarimg), keeps the recovery codes, approves
the release; it shows on the public home page. Then the editor signs in with a recovery code,
embargoes a release, moves its lift time and publishes it before the lift."""
import base64, hashlib, hmac, os, struct, subprocess, tempfile, time, urllib.request

import pytest
from conftest import BINARY, ROOT, free_port, wait_until_serving
from selenium.webdriver.common.by import By
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

# While a form's page is replaced by the next one, elements vanish or go stale: keep waiting.
PAGE_CHANGES = (NoSuchElementException, StaleElementReferenceException)

PASSWORD = "correct horse battery staple"


def totp(base32_secret, at=None):
    """RFC 6238 TOTP (SHA-1, 30 s, 6 digits), as an authenticator app computes it."""
    padded = base32_secret + "=" * (-len(base32_secret) % 8)
    key = base64.b32decode(padded)
    counter = int((at or time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


@pytest.fixture(scope="module")
def site():
    if not BINARY.exists():
        pytest.fail(f"{BINARY} is missing: run `swift build --build-tests` first")
    work = tempfile.mkdtemp(prefix="dateline-e2e-")
    port = free_port()
    env = dict(os.environ, DATELINE_DATABASE_URL=f"{work}/site.sqlite", DATELINE_BASE_URL=f"http://127.0.0.1:{port}")

    def dateline(*args, stdin=None):
        subprocess.run([str(BINARY), *args], cwd=ROOT, env=env, input=stdin, text=True, check=True, capture_output=True)

    # An organization (made by importing one of its releases) and two accounts.
    dateline("import", "--publish", "--organization", "Rivers Trust", "Samples/nasa-new-horizons.txt")
    dateline("user", "create", "--email", "member@rivers.example", "--name", "Mia Member", "--role", "member",
             "--organization", "rivers-trust", "--password-stdin", stdin=PASSWORD + "\n")
    dateline("user", "create", "--email", "editor@wire.example", "--name", "Ed Editor", "--role", "editor",
             "--password-stdin", stdin=PASSWORD + "\n")
    server = subprocess.Popen([str(BINARY), "serve", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_until_serving(base)
    yield base
    server.terminate()
    server.wait(timeout=10)


def sign_in(browser, base, email):
    browser.delete_all_cookies()
    browser.get(base + "/newsroom/sign-in")
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()


def wait_for_status(browser, status):
    """A click on a form's button navigates asynchronously: wait for the new page's status."""
    def shows_status(driver):
        try:
            return driver.find_element(By.CSS_SELECTOR, ".status").text.lower() == status
        except WebDriverException as error:
            # Chromium reports an element read while its page is replaced this way, not as stale.
            if "does not belong to the document" in str(error):
                return False
            raise
    WebDriverWait(browser, 10, ignored_exceptions=PAGE_CHANGES).until(shows_status)


def test_write_submit_approve_publish(site, browser):
    headline = "Wetlands Reopen Along the Aire"

    # The member writes and submits.
    sign_in(browser, site, "member@rivers.example")
    WebDriverWait(browser, 10, ignored_exceptions=PAGE_CHANGES).until(lambda driver: "Welcome, Mia Member" in driver.page_source)
    browser.get(site + "/newsroom/releases/new")
    browser.find_element(By.ID, "headline").send_keys(headline)
    browser.find_element(By.ID, "datelineCity").send_keys("LEEDS")
    browser.find_element(By.ID, "body").send_keys("The trust reopened three wetlands today.\n\n\u201cWetlands store water,\u201d said Mia Member.")
    browser.find_element(By.CSS_SELECTOR, ".release-form button[type=submit]").click()
    wait_for_status(browser, "draft")
    assert "The trust reopened three wetlands today." in browser.find_element(By.CSS_SELECTOR, ".preview").text
    browser.find_element(By.ID, "submit-for-review").click()
    wait_for_status(browser, "submitted")
    with urllib.request.urlopen(site + "/") as response:
        assert headline not in response.read().decode(), "not public before approval"

    # The editor signs in with a second factor and approves.
    sign_in(browser, site, "editor@wire.example")
    WebDriverWait(browser, 10, ignored_exceptions=PAGE_CHANGES).until(lambda driver: driver.find_elements(By.ID, "totp-secret"))
    secret = browser.find_element(By.ID, "totp-secret").text
    # The QR code, as the browser draws it, read by a real decoder (zbarimg), holds the same key.
    with tempfile.NamedTemporaryFile(suffix=".png") as image:
        image.write(browser.find_element(By.CSS_SELECTOR, "figure.qr svg").screenshot_as_png)
        image.flush()
        decoded = subprocess.run(["zbarimg", "--raw", "-q", image.name], capture_output=True, text=True, check=True).stdout.strip()
    assert decoded.startswith("otpauth://totp/") and f"secret={secret}" in decoded, decoded
    browser.find_element(By.ID, "code").send_keys(totp(secret))
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    # Enrolment ends with ten recovery codes, shown once.
    WebDriverWait(browser, 10, ignored_exceptions=PAGE_CHANGES).until(lambda driver: driver.find_elements(By.ID, "recovery-codes"))
    codes = [item.text for item in browser.find_elements(By.CSS_SELECTOR, "#recovery-codes code")]
    assert len(codes) == 10
    browser.find_element(By.LINK_TEXT, "Continue to the newsroom").click()
    WebDriverWait(browser, 10, ignored_exceptions=PAGE_CHANGES).until(lambda driver: "Welcome, Ed Editor" in driver.page_source)
    browser.get(site + "/newsroom/releases")
    browser.find_element(By.LINK_TEXT, headline).click()
    browser.find_element(By.ID, "approve").click()
    wait_for_status(browser, "published")

    # The release shows on the home page and its own page.
    browser.delete_all_cookies()
    browser.get(site + "/")
    browser.find_element(By.LINK_TEXT, headline).click()
    assert browser.find_element(By.CSS_SELECTOR, "h1.headline").text == headline
    assert "LEEDS" in browser.find_element(By.CSS_SELECTOR, ".dateline").text

    # The editor, having lost the authenticator, signs in with a recovery code; then embargoes a
    # release of their own, moves its lift time, and publishes it before the lift.
    sign_in(browser, site, "editor@wire.example")
    WebDriverWait(browser, 10, ignored_exceptions=PAGE_CHANGES).until(lambda driver: driver.find_elements(By.ID, "code"))
    browser.find_element(By.ID, "code").send_keys(codes[0].lower())
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 10, ignored_exceptions=PAGE_CHANGES).until(lambda driver: "Recovery codes left: 9" in driver.page_source)
    embargoed = "River Survey Results Under Embargo"
    browser.get(site + "/newsroom/releases/new")
    browser.find_element(By.ID, "headline").send_keys(embargoed)
    browser.find_element(By.ID, "body").send_keys("The survey counted otters in nine rivers.")
    browser.find_element(By.CSS_SELECTOR, ".release-form button[type=submit]").click()
    wait_for_status(browser, "draft")
    browser.find_element(By.CSS_SELECTOR, "input[name=decision][value=embargo]").click()
    lift = time.strftime("%Y-%m-%dT%H:%M", time.gmtime(time.time() + 86400))
    browser.execute_script("arguments[0].value = arguments[1]", browser.find_element(By.CSS_SELECTOR, ".review input[name=at]"), lift)
    browser.find_element(By.ID, "approve").click()
    wait_for_status(browser, "embargoed")
    assert "The lift time is" in browser.find_element(By.ID, "waiting").find_element(By.XPATH, "..").text
    later = time.strftime("%Y-%m-%dT%H:%M", time.gmtime(time.time() + 2 * 86400))
    browser.execute_script("arguments[0].value = arguments[1]", browser.find_element(By.ID, "waiting-at"), later)
    browser.execute_script("arguments[0].value = 'UTC'", browser.find_element(By.ID, "waiting-zone"))
    browser.find_element(By.ID, "move-waiting-time").click()
    WebDriverWait(browser, 10, ignored_exceptions=PAGE_CHANGES).until(lambda driver: "Lift time moved from" in driver.page_source)
    with urllib.request.urlopen(site + "/") as response:
        assert embargoed not in response.read().decode(), "not public before the lift"
    browser.find_element(By.ID, "publish-now").click()
    wait_for_status(browser, "published")
    browser.delete_all_cookies()
    # The home page this browser holds may be fresh for a minute (Cache-Control): ask the site.
    with urllib.request.urlopen(site + "/") as response:
        assert embargoed in response.read().decode(), "public once published"
    browser.get(site + "/releases/river-survey-results-under-embargo")
    assert browser.find_element(By.CSS_SELECTOR, "h1.headline").text == embargoed
    assert "lifted" in browser.find_element(By.CSS_SELECTOR, "p.timing").text.lower()
