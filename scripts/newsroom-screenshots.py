#!/usr/bin/env python3
"""Screenshots of the newsroom for docs/screenshots/: the release list, the release form and an
editor's review page of an embargoed release, signed in as an editor (TOTP computed here as an
authenticator app does). Usage: newsroom-screenshots.py BASE_URL PASSWORD (the editor
editor@wire.example exists with that password; the site has the sample data)."""
import base64, hashlib, hmac, struct, sys, time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

base, password = sys.argv[1], sys.argv[2]


def totp(secret):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time() // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1", "--window-size=1280,1400"):
    options.add_argument(argument)
browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
browser.implicitly_wait(5)
try:
    browser.get(base + "/newsroom/sign-in")
    browser.find_element(By.ID, "email").send_keys("editor@wire.example")
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda driver: driver.find_elements(By.ID, "totp-secret"))
    browser.find_element(By.ID, "code").send_keys(totp(browser.find_element(By.ID, "totp-secret").text))
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda driver: driver.find_elements(By.ID, "recovery-codes"))

    browser.get(base + "/newsroom/releases/new")
    browser.find_element(By.ID, "headline").send_keys("Wetlands Reopen Along the Aire")
    browser.find_element(By.ID, "datelineCity").send_keys("LEEDS")
    browser.find_element(By.ID, "body").send_keys("The trust reopened three wetlands today.\n\n\u201cWetlands store water,\u201d said Mia Member.")
    browser.save_screenshot("docs/screenshots/newsroom-release-form-1280.png")
    browser.find_element(By.CSS_SELECTOR, ".release-form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda driver: driver.find_elements(By.ID, "review"))
    browser.find_element(By.CSS_SELECTOR, "input[name=decision][value=embargo]").click()
    lift = time.strftime("%Y-%m-%dT%H:%M", time.gmtime(time.time() + 86400))
    browser.execute_script("arguments[0].value = arguments[1]", browser.find_element(By.CSS_SELECTOR, ".review input[name=at]"), lift)
    browser.find_element(By.ID, "approve").click()
    WebDriverWait(browser, 10).until(lambda driver: driver.find_elements(By.ID, "waiting"))
    browser.execute_script("document.getElementById('waiting').scrollIntoView()")
    browser.save_screenshot("docs/screenshots/newsroom-review-embargoed-1280.png")
    browser.get(base + "/newsroom/releases")
    browser.save_screenshot("docs/screenshots/newsroom-releases-1280.png")
finally:
    browser.quit()
print("Newsroom screenshots written to docs/screenshots/")
