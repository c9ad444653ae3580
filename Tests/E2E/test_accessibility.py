"""End-to-end: axe-core 4.10 (bundled by axe-selenium-python 3.0) in Chromium over every kind of
page, public and newsroom, against the real `dateline serve` with the sample data: no critical
or serious violation of WCAG 2.0, 2.1 and 2.2 A and AA rules."""
import os, subprocess, tempfile, time

import pytest
from axe_selenium_python import Axe
from conftest import BINARY, ROOT, free_port, wait_until_serving
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from test_newsroom_flow import PASSWORD, totp

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def site():
    if not BINARY.exists():
        pytest.fail(f"{BINARY} is missing: run `swift build --build-tests` first")
    work = tempfile.mkdtemp(prefix="dateline-axe-")
    port = free_port()
    env = dict(os.environ, DATELINE_DATABASE_URL=f"{work}/site.sqlite", DATELINE_BASE_URL=f"http://127.0.0.1:{port}",
               DATELINE_MAIL_DIR=f"{work}/mail")
    subprocess.run([str(BINARY), "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    for email, role in (("admin@wire.example", "admin"), ("editor@wire.example", "editor")):
        subprocess.run([str(BINARY), "user", "create", "--email", email, "--name", role.title(), "--role", role, "--password-stdin"],
                       cwd=ROOT, env=env, input=PASSWORD + "\n", text=True, check=True, capture_output=True)
    server = subprocess.Popen([str(BINARY), "serve", "--sample-data", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_until_serving(base)
    yield base
    server.terminate()
    server.wait(timeout=10)


def violations(browser):
    """Critical and serious violations of the WCAG A and AA rules on the page shown."""
    axe = Axe(browser)
    axe.inject()
    results = axe.run(options={"runOnly": {"type": "tag", "values": TAGS}})
    return [(v["id"], v["impact"], [node["target"] for node in v["nodes"]][:3]) for v in results["violations"]
            if v["impact"] in ("critical", "serious")]


def check(browser, url_or_none, name, found):
    if url_or_none:
        browser.get(url_or_none)
    problems = violations(browser)
    if problems:
        found.append((name, browser.current_url, problems))


def sign_in_enrolled(browser, site, email):
    browser.delete_all_cookies()
    browser.get(site + "/newsroom/sign-in")
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda driver: driver.find_elements(By.ID, "code"))


def test_every_page_kind_has_no_serious_violation(site, browser):
    # The check can fail: an image without a text alternative is a critical violation.
    browser.get("data:text/html,<!DOCTYPE html><html lang=en><title>t</title><main><img src='x.png'></main></html>")
    assert any(rule == "image-alt" for rule, _, _ in violations(browser))
    found = []
    # The public pages, each kind once, and the Arabic release (right to left).
    browser.get(site + "/")
    release = browser.find_element(By.CSS_SELECTOR, "main h2 a, main .release-list a").get_attribute("href")
    for name, path in [("home", "/"), ("organizations", "/organizations"), ("topics", "/topics"), ("languages", "/languages"),
                       ("archive", "/archive"), ("search", "/search?q=water"), ("empty search", "/search?q=zzzzqqq"),
                       ("subscribe", "/subscribe"), ("not found", "/no-such-page"), ("sign-in", "/newsroom/sign-in")]:
        check(browser, site + path, name, found)
    check(browser, release, "release", found)
    browser.get(site + "/")
    organization = browser.find_element(By.CSS_SELECTOR, "a[href^='/organizations/']").get_attribute("href")
    check(browser, organization, "organization", found)
    browser.get(site + "/topics")
    topics = browser.find_elements(By.CSS_SELECTOR, "main a[href^='/topics/']")
    if topics:
        check(browser, topics[0].get_attribute("href"), "topic", found)
    browser.get(site + "/archive")
    years = browser.find_elements(By.CSS_SELECTOR, "main a[href^='/archive/']")
    if years:
        check(browser, years[0].get_attribute("href"), "archive year", found)
    browser.get(site + "/search?q=%D8%A7%D9%84%D8%A3%D8%B7%D9%81%D8%A7%D9%84")
    arabic = browser.find_elements(By.CSS_SELECTOR, "main ol a, main .results a")
    if arabic:
        check(browser, arabic[0].get_attribute("href"), "Arabic release", found)

    # The newsroom: enrolment with its QR code, the recovery codes, home, list, form, review, admin.
    sign_in_enrolled(browser, site, "editor@wire.example")
    check(browser, None, "two-factor enrolment", found)
    secret = browser.find_element(By.ID, "totp-secret").text
    browser.find_element(By.ID, "code").send_keys("000000")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".error"))
    check(browser, None, "two-factor error", found)
    browser.find_element(By.ID, "code").send_keys(totp(secret))
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda driver: driver.find_elements(By.ID, "recovery-codes"))
    check(browser, None, "recovery codes", found)
    for name, path in [("newsroom home", "/newsroom"), ("release list", "/newsroom/releases"), ("new release form", "/newsroom/releases/new")]:
        check(browser, site + path, name, found)
    browser.get(site + "/newsroom/releases/new")
    browser.find_element(By.ID, "body").send_keys("A body without a headline.")
    browser.execute_script("document.getElementById('headline').removeAttribute('required')")
    browser.find_element(By.CSS_SELECTOR, ".release-form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda driver: driver.find_elements(By.ID, "form-error"))
    check(browser, None, "release form with an error", found)
    browser.find_element(By.ID, "headline").send_keys("Accessibility check")
    browser.find_element(By.CSS_SELECTOR, ".release-form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda driver: driver.find_elements(By.ID, "review"))
    check(browser, None, "review page", found)

    # Reflow at 320 CSS pixels (WCAG 1.4.10): no page scrolls sideways.
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 320, "height": 900, "deviceScaleFactor": 1, "mobile": True})
    try:
        for path in ["/newsroom", "/newsroom/releases", "/newsroom/releases/new", "/", "/search?q=water"]:
            browser.get(site + path)
            width = browser.execute_script("return [document.documentElement.clientWidth, document.documentElement.scrollWidth]")
            if width[1] > width[0]:
                found.append(("reflow at 320 px", browser.current_url, f"scrollWidth {width[1]} > {width[0]}"))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    sign_in_enrolled(browser, site, "admin@wire.example")
    secret = browser.find_element(By.ID, "totp-secret").text
    browser.find_element(By.ID, "code").send_keys(totp(secret))
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda driver: driver.find_elements(By.ID, "recovery-codes"))
    check(browser, site + "/newsroom/admin", "admin", found)
    check(browser, site + "/newsroom/admin/subscribers", "subscribers", found)
    check(browser, site + "/newsroom/admin/journalists", "journalists", found)

    assert not found, "\n".join(f"{name} ({url}): {problems}" for name, url, problems in found)
