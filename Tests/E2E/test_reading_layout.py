"""End-to-end: how the public pages lay out and search in a real browser (Debian's chromium and
chromedriver, driven by Selenium) against `dateline serve --sample-data` on loopback.

The Arabic sample release at a phone's width (390 px) and a desktop's (1280 px): the page never
scrolls sideways; only the release's own text (headline, body, contacts, boilerplate) is
right-to-left, while the header, search, sign-up box, appeal and footer keep the site's
direction; and in a listing an Arabic release's date stays inside its own bidi run. A reader
searches from the header's box of any page and narrows the results by a facet."""
import os
import subprocess
import tempfile
import urllib.parse
import urllib.request

import pytest
from conftest import BINARY, ROOT, free_port, wait_until_serving
from selenium.webdriver.common.by import By


@pytest.fixture(scope="module")
def site():
    if not BINARY.exists():
        pytest.fail(f"{BINARY} is missing: run `swift build --build-tests` first")
    work = tempfile.mkdtemp(prefix="dateline-e2e-layout-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, DATELINE_DATABASE_URL=f"{work}/site.sqlite", DATELINE_BASE_URL=base)
    server = subprocess.Popen([str(BINARY), "serve", "--sample-data", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_serving(base)
    yield base
    server.terminate()
    server.wait(timeout=10)


def arabic_release_path(base):
    """The Arabic sample release's address, as the Arabic language page links it."""
    html = urllib.request.urlopen(base + "/languages/ar", timeout=10).read().decode()
    start = html.index('<h2><a href="') + len('<h2><a href="')
    return html[start:html.index('"', start)]


@pytest.mark.parametrize("width", [390, 1280])
def test_arabic_release_keeps_the_chrome_in_the_sites_direction(browser, site, width):
    browser.set_window_size(width, 900)
    browser.get(site + arabic_release_path(site))

    overflow = browser.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px at {width} px"

    def direction(selector):
        return browser.execute_script("return getComputedStyle(document.querySelector(arguments[0])).direction", selector)

    assert direction("html") == "ltr"
    for chrome in (".masthead", ".site-footer", ".signup", ".share", ".timing"):
        assert direction(chrome) == "ltr", f"{chrome} follows the release's direction"
    for own in (".release-head", ".body"):
        assert direction(own) == "rtl", f"{own} is not right-to-left"
    assert browser.find_element(By.CSS_SELECTOR, ".release-head").get_attribute("lang") == "ar"

    # The skip link is out of sight until focused, and in sight when it is.
    skip = browser.find_element(By.CSS_SELECTOR, "a.skip")
    assert skip.size["width"] <= 1
    browser.execute_script("arguments[0].focus()", skip)
    assert skip.size["width"] > 1 and 0 <= skip.location["x"] < width


@pytest.mark.parametrize("width", [390, 1280])
def test_an_arabic_date_stays_inside_its_own_run_in_a_listing(browser, site, width):
    browser.set_window_size(width, 900)
    browser.get(site + "/languages/ar")
    item = browser.find_element(By.CSS_SELECTOR, '.release-item[lang="ar"]')
    date = item.find_element(By.CSS_SELECTOR, ".meta time")
    organization = item.find_element(By.CSS_SELECTOR, ".meta a.org")
    for part in (date, organization):
        assert browser.execute_script("return getComputedStyle(arguments[0]).unicodeBidi", part) == "isolate"
    # The date's pieces (its numbers and words are separate bidi runs) sit together: no piece of
    # the organization's name lies between them, as it does when a day number is reordered out
    # of the date to stand beside the name.
    between = browser.execute_script("""
        const date = [...arguments[0].getClientRects()], name = [...arguments[1].getClientRects()];
        return name.filter(n => {
            const line = date.filter(d => d.top < n.bottom && n.top < d.bottom);
            if (line.length === 0) return false;
            const left = Math.min(...line.map(d => d.left)), right = Math.max(...line.map(d => d.right));
            return n.left < right && left < n.right;
        }).length""", date, organization)
    assert between == 0, "part of the organization's name sits inside the date"


def test_a_reader_searches_from_any_page_and_narrows_by_a_facet(browser, site):
    """The header's search box on an organization's page (any page has it), then a facet."""
    browser.set_window_size(1280, 1000)
    browser.get(site + "/organizations")
    browser.find_element(By.CSS_SELECTOR, ".directory-name").click()
    box = browser.find_element(By.CSS_SELECTOR, "form.site-search input[name=q]")
    box.send_keys("rights")
    box.submit()
    results = browser.find_elements(By.CSS_SELECTOR, ".search-main h2 a")
    assert len(results) >= 2, "a word of several sample releases finds them"
    assert "/search?" in browser.current_url and "q=rights" in browser.current_url

    facet = browser.find_element(By.XPATH, "//aside[@class='search-facets']//h2[text()='Organization']/following-sibling::ul[1]//a")
    expected = int(facet.find_element(By.XPATH, "following-sibling::span[@class='count']").text)
    organization = facet.text
    facet.click()
    narrowed = browser.find_elements(By.CSS_SELECTOR, ".search-main h2 a")
    assert len(narrowed) == expected, "the facet's count is the number of results it leads to"
    assert len(narrowed) < len(results) or expected == len(results)
    for item in browser.find_elements(By.CSS_SELECTOR, ".search-main .meta a"):
        if "/organizations/" in item.get_attribute("href"):
            assert item.text == organization
