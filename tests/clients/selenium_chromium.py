"""Selenium (Debian's chromedriver) through the proxy: two fresh sessions, each loading every URL."""
import json
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

READY = "return !!window.__site && (window.__site.ready || !!window.__site.error)"


def main() -> None:
    config = json.loads(sys.argv[1])
    reports = []
    for _ in range(2):
        options = webdriver.ChromeOptions()
        options.binary_location = config["chromium"]
        for arg in config["args"]:
            options.add_argument(arg)
        driver = webdriver.Chrome(service=Service(config["chromedriver"]), options=options)
        try:
            for url in config["urls"]:
                driver.get(url)
                WebDriverWait(driver, 60).until(lambda d: d.execute_script(READY))
                reports.append(driver.execute_script("return window.__site"))
        finally:
            driver.quit()
    print(json.dumps(reports))


if __name__ == "__main__":
    main()
