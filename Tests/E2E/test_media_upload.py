"""End-to-end: a photo uploaded through the newsroom's attachment form in a real browser
(Debian's chromium and chromedriver, driven by Selenium), against the real `dateline serve`.

A member writes a draft, chooses a JPEG made here with Pillow in the form's file input, types its
alt text, ticks "Lead image" and sends the multipart form; the release's page lists the photo
with a thumbnail the browser has loaded through the newsroom's preview route, and the preview
shows it. The file is not reachable on the public path, nor through the preview route without
the member's session. A second photo sent without alt text is marked; axe finds no serious
violation on the page, and it does not scroll sideways at 320 CSS pixels."""
import io, tempfile, urllib.error, urllib.request

from PIL import Image, ImageDraw
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from test_accessibility import violations
from test_newsroom_flow import PAGE_CHANGES, sign_in, site, wait_for_status  # noqa: F401 (site is a fixture)

ALT = "Three wading birds on a flooded meadow at dawn"


def make_jpeg(path, width=1200, height=800):
    """A JPEG of a gradient with a shape on it, so that it has real content to resize."""
    image = Image.new("RGB", (width, height))
    pixels = image.load()
    for x in range(width):
        for y in range(0, height, 4):
            colour = (x * 255 // width, y * 255 // height, 120)
            for dy in range(4):
                if y + dy < height:
                    pixels[x, y + dy] = colour
    ImageDraw.Draw(image).ellipse((width // 4, height // 4, width // 2, height // 2), fill=(240, 200, 40))
    image.save(path, "JPEG", quality=85)


def loaded(browser, element):
    """Whether the browser has decoded the image (a broken or refused one has no natural width)."""
    return browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", element)


def test_upload_photo_with_alt_text(site, browser):
    # The member writes a draft.
    sign_in(browser, site, "member@rivers.example")
    WebDriverWait(browser, 10, ignored_exceptions=PAGE_CHANGES).until(lambda driver: "Welcome, Mia Member" in driver.page_source)
    browser.get(site + "/newsroom/releases/new")
    browser.find_element(By.ID, "headline").send_keys("Waders Return to the Aire Meadows")
    browser.find_element(By.ID, "body").send_keys("Wading birds nested on the restored meadows this spring.")
    browser.find_element(By.CSS_SELECTOR, ".release-form button[type=submit]").click()
    wait_for_status(browser, "draft")
    release_page = browser.current_url
    assert "No photos or documents yet." in browser.find_element(By.ID, "attachments").find_element(By.XPATH, "..").text

    # The photo, chosen in the file input, with its alt text, as the lead image.
    with tempfile.NamedTemporaryFile(suffix=".jpg") as photo:
        make_jpeg(photo.name)
        form = browser.find_element(By.CSS_SELECTOR, "form.upload-form")
        assert form.get_attribute("enctype") == "multipart/form-data"
        browser.find_element(By.ID, "upload-file").send_keys(photo.name)
        browser.find_element(By.ID, "upload-alt").send_keys(ALT)
        form.find_element(By.CSS_SELECTOR, "input[name=lead]").click()
        browser.find_element(By.ID, "attach").click()
        WebDriverWait(browser, 20, ignored_exceptions=PAGE_CHANGES).until(
            lambda driver: driver.find_elements(By.CSS_SELECTOR, ".attachment img.thumbnail"))

    # Listed with a thumbnail the browser loaded, its alt text, and marked as the lead image.
    assert browser.current_url == release_page
    thumbnail = browser.find_element(By.CSS_SELECTOR, ".attachment img.thumbnail")
    WebDriverWait(browser, 10).until(lambda driver: loaded(driver, thumbnail))
    assert thumbnail.get_attribute("alt") == ALT
    source = thumbnail.get_attribute("src")
    assert "/newsroom/releases/" in source and "/media/" in source and source.endswith(".jpg"), source
    item = browser.find_element(By.CSS_SELECTOR, ".attachment")
    assert "lead image" in item.text.lower() and "JPEG image, 1200 × 800 px" in item.text, item.text
    assert not browser.find_elements(By.ID, "alt-notice"), "an image with alt text is not marked"

    # The preview shows it, loaded, with the same alt text.
    figure = browser.find_element(By.CSS_SELECTOR, ".release-preview .lead-image figure img")
    WebDriverWait(browser, 10).until(lambda driver: loaded(driver, figure))
    assert figure.get_attribute("alt") == ALT

    # Outside the member's session the file is not there: not on the public path, and the
    # preview route sends a visitor to sign in.
    name = source.rsplit("/", 1)[1]
    try:
        urllib.request.urlopen(site + "/media/" + name)
        raise AssertionError("a draft's photo is public")
    except urllib.error.HTTPError as error:
        assert error.code == 404
    with urllib.request.urlopen(source) as response:
        assert response.geturl().endswith("/newsroom/sign-in"), response.geturl()
        assert response.headers.get_content_type() == "text/html"

    # A second photo without alt text: listed, marked, and the page says why it waits.
    with tempfile.NamedTemporaryFile(suffix=".jpg") as photo:
        make_jpeg(photo.name, width=640, height=480)
        browser.find_element(By.ID, "upload-file").send_keys(photo.name)
        browser.find_element(By.ID, "attach").click()
        WebDriverWait(browser, 20, ignored_exceptions=PAGE_CHANGES).until(
            lambda driver: len(driver.find_elements(By.CSS_SELECTOR, ".attachment img.thumbnail")) == 2)
    assert "no alt text" in browser.find_element(By.ID, "alt-notice").text
    assert len(browser.find_elements(By.CSS_SELECTOR, ".attachment input[name=alt][aria-invalid=true]")) == 1

    # The page with its attachments: no serious accessibility violation, no sideways scrolling.
    assert violations(browser) == []
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 320, "height": 900, "deviceScaleFactor": 1, "mobile": True})
    try:
        browser.get(release_page)
        width = browser.execute_script("return [document.documentElement.clientWidth, document.documentElement.scrollWidth]")
        assert width[1] <= width[0], f"scrollWidth {width[1]} > {width[0]} at 320 px"
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
