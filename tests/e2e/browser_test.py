#!/usr/bin/env python3
"""The search page in headless Chromium, against a running server indexed from sample/.

Usage: browser_test.py http://127.0.0.1:PORT/ ARTIFACT_DIR
Exit status 0 when every check passes, 1 with a FAIL message otherwise. A screenshot of each step
(and of the page at a failure) is written to ARTIFACT_DIR, kept after the run. Run by
browser_test.sh, which starts and stops the server.
"""
import os
import shutil
import sys
import tempfile
import urllib.parse
import urllib.request

os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import TimeoutException, WebDriverException  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

WAIT = 10  # seconds, for every wait on the page


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def wait_for(driver, what, predicate, timeout=WAIT):
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: predicate(d))
    except TimeoutException:
        raise Failure(f"timed out after {timeout} s waiting for {what} (url {driver.current_url})") from None


def params(driver):
    return urllib.parse.parse_qs(urllib.parse.urlsplit(driver.current_url).query)


def settled(driver):
    return driver.find_element(By.ID, "results").get_attribute("aria-busy") == "false"


def hit_ids(driver):
    return driver.execute_script(
        "return [...document.querySelectorAll('#results .hit .title a')].map(a => a.href + '|' + a.textContent)")


def mark_texts(driver):
    return driver.execute_script(
        "return [...document.querySelectorAll('#results .hit .title mark, #results .hit .snippet mark')]"
        ".map(m => m.textContent)")


def search(driver, text):
    box = driver.find_element(By.ID, "q")
    box.clear()
    box.send_keys(text)
    check(box.get_attribute("value") == text, f"#q holds {box.get_attribute('value')!r} after typing {text!r}")
    box.send_keys(Keys.ENTER)
    wait_for(driver, f"the URL to carry q={text!r}", lambda d: params(d).get("q") == [text])
    wait_for(driver, f"results for {text!r}", lambda d: settled(d) and d.find_elements(By.CSS_SELECTOR, "#results .hit"))


def run(driver, base, shot):
    driver.get(base)
    check("scholarsearch" in driver.title, f"unexpected page title {driver.title!r}")
    check(driver.switch_to.active_element.get_attribute("id") == "q", "the search box #q does not have focus on load")
    for selector in ("#search", "#q", "#results", "#facets", "label[for=q]"):
        check(driver.find_elements(By.CSS_SELECTOR, selector), f"the page has no {selector}")

    # Search-as-you-type: /suggest fills the datalist.
    driver.find_element(By.ID, "q").send_keys("transp")
    wait_for(driver, "a suggestion 'transparency' in #suggestions", lambda d: "transparency" in d.execute_script(
        "return [...document.querySelectorAll('#suggestions option')].map(o => o.value)"))
    print("ok: suggestions for 'transp' include 'transparency'")

    search(driver, "transparency social media")
    hits = driver.find_elements(By.CSS_SELECTOR, "#results .hit")
    check(len(hits) >= 3, f"expected at least 3 hits for 'transparency social media', got {len(hits)}")
    marks = [m.lower() for m in mark_texts(driver)]
    check(any(m in ("transparency", "social", "media") for m in marks),
          f"no <mark> with transparency/social/media in titles or snippets; marks: {marks[:10]}")
    total = driver.find_element(By.ID, "total").text
    check("result" in total and "ms" in total, f"#total does not show a count and a time: {total!r}")
    check(driver.find_elements(By.CSS_SELECTOR, "#results .hit a.doi[href^='https://doi.org/10.5555/']"), "no DOI links")
    print(f"ok: {len(hits)} hits, {total!r}, marks {sorted(set(marks))}")
    shot("1-results")

    # Paging, and the URL as state: reload keeps page 2.
    driver.find_element(By.ID, "next").click()
    wait_for(driver, "page=2 in the URL", lambda d: params(d).get("page") == ["2"])
    wait_for(driver, "hit 11 on page 2", lambda d: settled(d) and d.find_elements(By.CSS_SELECTOR, "#results .hit")
             and d.find_element(By.CSS_SELECTOR, "#results .hit .rank").text == "11.")
    driver.refresh()
    wait_for(driver, "hit 11 after reloading page 2", lambda d: settled(d) and d.find_elements(By.CSS_SELECTOR, "#results .hit")
             and d.find_element(By.CSS_SELECTOR, "#results .hit .rank").text == "11.")
    check(driver.find_element(By.ID, "q").get_attribute("value") == "transparency social media", "#q not restored on reload")
    print("ok: #next goes to page 2 (rank 11) and a reload keeps it")
    shot("2-page-2")

    search(driver, "社交媒体 政府")
    marks = mark_texts(driver)
    check(any("社交" in m or "政府" in m for m in marks), f"no <mark> with 社交 or 政府; marks: {marks[:10]}")
    print(f"ok: Chinese query highlighted {sorted(set(marks))}")

    # A facet value narrows the results and lands in the URL.
    before = hit_ids(driver)
    candidates = [(b, b.find_element(By.CSS_SELECTOR, ".value").text, int(b.find_element(By.CSS_SELECTOR, ".count").text))
                  for b in driver.find_elements(By.CSS_SELECTOR, "#facets .facet-value[data-facet=keyword]")]
    candidates = [c for c in candidates if c[2] < len(before)]
    check(candidates, f"no keyword facet value with fewer than {len(before)} records")
    button, value, count = candidates[0]
    button.click()
    wait_for(driver, f"keyword={value!r} in the URL", lambda d: value in params(d).get("keyword", []))
    wait_for(driver, "the results to change after the facet click", lambda d: settled(d) and hit_ids(d) != before)
    after = driver.find_elements(By.CSS_SELECTOR, "#results .hit")
    check(0 < len(after) <= count, f"facet {value!r} claims {count} records, the filtered page shows {len(after)}")
    check(value in driver.find_element(By.ID, "filters").text, f"the active filter {value!r} is not shown in #filters")
    print(f"ok: facet keyword={value!r} ({count}) gives {len(after)} hits; url {driver.current_url}")
    shot("3-facet-keyword")

    # Export takes the page's search away: the same query and filter, every match, as a download.
    export = driver.find_element(By.CSS_SELECTOR, "#export a.export-ris")
    check(export.is_displayed(), "the RIS export link is not shown")
    export_url = export.get_attribute("href")
    export_params = urllib.parse.parse_qs(urllib.parse.urlsplit(export_url).query)
    check(export_params.get("keyword") == [value] and export_params.get("q") == ["社交媒体 政府"]
          and export_params.get("format") == ["ris"], f"the export link does not carry the page's search: {export_url}")
    with urllib.request.urlopen(export_url, timeout=WAIT) as response:
        disposition = response.headers.get("Content-Disposition", "")
        records = response.headers.get("X-Export-Records")
        ris = response.read().decode("utf-8")
    check(disposition.startswith("attachment") and disposition.endswith('.ris"'), f"export Content-Disposition {disposition!r}")
    check(records == str(count), f"X-Export-Records {records!r}, the facet said {count} records")
    ends = sum(line.startswith("ER  -") for line in ris.splitlines())
    check(ends == count, f"the RIS export holds {ends} records, not {count}")
    cite = driver.find_element(By.CSS_SELECTOR, "#results .hit a.cite-bibtex").get_attribute("href")
    with urllib.request.urlopen(cite, timeout=WAIT) as response:
        bibtex = response.read().decode("utf-8")
    check(bibtex.lstrip().startswith("@") and bibtex.count("\n@") == 0, f"the hit's BibTeX link gave {bibtex[:80]!r}")
    print(f"ok: export link {export_url} gives {records} RIS records ({disposition}); the hit's BibTeX link one entry")
    shot("3b-export")

    driver.back()
    wait_for(driver, "the unfiltered results after Back", lambda d: "keyword" not in params(d) and settled(d)
             and hit_ids(d) == before)
    driver.forward()
    wait_for(driver, "the filtered results after Forward", lambda d: value in params(d).get("keyword", []) and settled(d)
             and len(hit_ids(d)) == len(after))
    driver.find_element(By.CSS_SELECTOR, "#filters button").click()
    wait_for(driver, "the filter chip to remove the filter", lambda d: "keyword" not in params(d) and settled(d)
             and hit_ids(d) == before)
    print("ok: back/forward and removing the filter chip")

    # "Similar" shows /similar results.
    driver.find_element(By.CSS_SELECTOR, "#results .hit a.similar").click()
    wait_for(driver, "similar= in the URL", lambda d: "similar" in params(d))
    wait_for(driver, "similar records", lambda d: settled(d) and d.find_elements(By.CSS_SELECTOR, "#results .hit")
             and "similar" in d.find_element(By.ID, "total").text.lower())
    print(f"ok: similar records for {params(driver)['similar'][0]}")

    # The citation graph: a hit's "Cited by" lists the records citing it; "References" links
    # each reference that cites a record of the collection to it (records of tests/data/graph).
    search(driver, "open government data transparency municipal practice")
    g1 = [h for h in driver.find_elements(By.CSS_SELECTOR, "#results .hit")
          if h.find_element(By.CSS_SELECTOR, ".title").text.startswith("Open government data and transparency")]
    check(g1, "the graph fixture's record g1 is not among the hits")
    g1[0].find_element(By.CSS_SELECTOR, "a.cited-by").click()
    wait_for(driver, "cited-by= in the URL", lambda d: params(d).get("cited-by") == ["g1"])
    wait_for(driver, "the records citing g1", lambda d: settled(d) and "2 records cite" in d.find_element(By.ID, "total").text)
    citing = [t.text for t in driver.find_elements(By.CSS_SELECTOR, "#results .hit .title")]
    check(citing == ["Open data portals and accountability", "Citizen engagement through social media platforms"],
          f"the records citing g1 are shown as {citing}")
    shot("5-cited-by")
    driver.get(base + "?references=g3")
    wait_for(driver, "g3's references", lambda d: settled(d) and len(d.find_elements(By.CSS_SELECTOR, "#results .reference")) == 4)
    linked = driver.find_elements(By.CSS_SELECTOR, "#results .reference.in-collection a.cited")
    check([a.text for a in linked] == ["Open government data and transparency in municipal practice",
                                       "Social media adoption by city governments: a survey"],
          f"g3's references in the collection link to {[a.text for a in linked]}")
    check("2 of them in the collection" in driver.find_element(By.ID, "total").text, "#total does not count the resolved references")
    shot("6-references")
    linked[1].click()
    wait_for(driver, "g2's references page", lambda d: params(d).get("references") == ["g2"] and settled(d)
             and "0 references" in d.find_element(By.ID, "total").text)
    print("ok: Cited by lists the 2 records citing g1; g3's references link the 2 records they cite")

    # A query that finds nothing as typed shows its correction's results and says so.
    driver.get(base + "?q=" + urllib.parse.quote("transparncy socail"))
    wait_for(driver, "a 'Showing results for' line", lambda d: settled(d) and d.find_element(By.ID, "corrected").is_displayed())
    corrected = driver.find_element(By.ID, "corrected").text
    check(corrected.startswith("Showing results for transparency social") and "transparncy socail" in corrected,
          f"unexpected correction line {corrected!r}")
    check(bool(driver.find_elements(By.CSS_SELECTOR, "#results .hit")), "no hits for the corrected query")
    print("ok: 'Showing results for transparency social'")
    shot("4-showing-results-for")

    # Did you mean, when the query as typed finds something.
    driver.get(base + "?q=" + urllib.parse.quote("transparncy social"))
    wait_for(driver, "a 'Did you mean' link", lambda d: d.find_elements(By.CSS_SELECTOR, "#spelling a"))
    link = driver.find_element(By.CSS_SELECTOR, "#spelling a")
    check(link.text == "transparency social", f"unexpected spelling suggestion {link.text!r}")
    link.click()
    wait_for(driver, "results for the suggestion", lambda d: params(d).get("q") == ["transparency social"] and settled(d)
             and d.find_elements(By.CSS_SELECTOR, "#results .hit"))
    print("ok: 'Did you mean transparency social' link")

    # Markup in a query is shown as text, never run.
    nasty = "<img src=x onerror=window.__xss=1><b>bold</b>"
    search_url = base + "?q=" + urllib.parse.quote(nasty)
    driver.get(search_url)
    wait_for(driver, "the page to settle for a query with markup", lambda d: settled(d) and d.find_element(By.ID, "total").text)
    check(not driver.find_elements(By.CSS_SELECTOR, "main img, main b, #status img"), "query markup became elements")
    check(driver.execute_script("return window.__xss === undefined"), "an onerror handler from the query ran")
    check(driver.find_element(By.ID, "q").get_attribute("value") == nasty, "#q does not hold the query with markup")
    print("ok: markup in the query stays text")

    # API errors are shown from {"error","detail"}.
    driver.get(base + "?q=media&sort=bogus")
    wait_for(driver, "an error message", lambda d: d.find_element(By.ID, "error").is_displayed())
    error = driver.find_element(By.ID, "error").text
    check("sort must be" in error, f"#error does not show the server's detail: {error!r}")
    print(f"ok: error shown: {error!r}")

    problems = [entry["message"] for entry in driver.get_log("browser")
                if entry["level"] == "SEVERE" and "Failed to load resource" not in entry["message"]]
    check(not problems, f"errors in the browser console: {problems}")


def main():
    if len(sys.argv) != 3:
        print("usage: browser_test.py http://127.0.0.1:PORT/ ARTIFACT_DIR", file=sys.stderr)
        return 2
    base, artifacts = sys.argv[1:3]
    os.makedirs(artifacts, exist_ok=True)
    check_host = urllib.parse.urlsplit(base).hostname
    if check_host != "127.0.0.1":
        print(f"FAIL: only 127.0.0.1 is tested, got {base}", file=sys.stderr)
        return 2
    profile = tempfile.mkdtemp(prefix="scholarsearch-chromium-")
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-proxy-server", "--window-size=1280,1000", f"--user-data-dir={profile}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = None
    passed = False
    try:
        driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
        driver.set_page_load_timeout(15)
        driver.set_script_timeout(WAIT)
        def shot(name):
            path = os.path.join(artifacts, name + ".png")
            driver.save_screenshot(path)
            print(f"screenshot: {path}")
        run(driver, base, shot)
        print("PASS: browser test")
        passed = True
        return 0
    except Failure as failure:
        print(f"FAIL: {failure}")
    except WebDriverException as error:
        print(f"FAIL: browser error: {error.msg or error}")
    finally:
        if driver is not None:
            try:
                if not passed:
                    failed = os.path.join(artifacts, "failure.png")
                    driver.save_screenshot(failed)
                    print(f"screenshot (at the failure, {driver.current_url}): {failed}")
            except Exception:  # noqa: BLE001 - the screenshot is only a help
                pass
            driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
