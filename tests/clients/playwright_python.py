"""Python Playwright through the proxy: two fresh contexts, each loading every URL."""
import json
import sys

from playwright.sync_api import sync_playwright

READY = "() => !!window.__site && (window.__site.ready || !!window.__site.error)"


def main() -> None:
    config = json.loads(sys.argv[1])
    reports = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=config["chromium"],
            args=config["args"],
            proxy={"server": config["proxy"]},
        )
        for _ in range(2):
            context = browser.new_context()
            page = context.new_page()
            for url in config["urls"]:
                page.goto(url)
                page.wait_for_function(READY, timeout=60_000)
                reports.append(page.evaluate("() => window.__site"))
            context.close()
        browser.close()
    print(json.dumps(reports))


if __name__ == "__main__":
    main()
