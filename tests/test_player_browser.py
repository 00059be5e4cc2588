"""The player's page in a real browser (headless Chromium through selenium):
keys and buttons step through backward, a click explains a card, hostile
labels show as text and run nothing, and no request leaves the page.

These tests need Debian's `chromium` and `chromium-driver` (`.ci/run`
installs them); without them the module is skipped with one line saying so.
"""

import json
import xml.etree.ElementTree as ET

import pytest

import browser as headless
from autograd import Value, explain
from autograd.player import player
from seeds import tobigs_mlp
from test_player import HOSTILE

if not headless.available():
    pytest.skip(f"the browser tests {headless.MISSING}", allow_module_level=True)

from selenium.webdriver.common.by import By  # noqa: E402 (needs selenium: checked above)
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

pytestmark = pytest.mark.usefixtures("in_process_graphviz")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def browser():
    with headless.chromium() as driver:
        yield driver


def open_page(browser, path):
    browser.get_log("performance")  # forget the requests of earlier pages
    browser.get_log("browser")
    browser.get(path.as_uri())
    return browser.find_element(By.TAG_NAME, "body")


def requests(browser) -> list[str]:
    """The URLs the browser asked for since the last call."""
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def text(browser, element_id):
    return browser.find_element(By.ID, element_id).text


def drawn_grads(svg: str) -> dict[str, str]:
    """Each card's grad line in an SVG from draw()."""
    out = {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        for t in g.iter(f"{SVG}text"):
            if "node" in g.get("class", "").split() and t.text.startswith("grad:"):
                out[g.get("id")] = t.text
    return out


def grads_shown(browser) -> dict[str, str]:
    """Each card's grad line as the page shows it now."""
    return browser.execute_script("""
        const out = {};
        for (const t of document.querySelectorAll("#hg-graph g.node text"))
            if (t.textContent.startsWith("grad:")) out[t.closest("g.node").id] = t.textContent;
        return out;""")


@pytest.fixture(scope="module")
def seed000(tmp_path_factory):
    loss, net = tobigs_mlp()
    p = player(loss, model=net)
    path = p.save(tmp_path_factory.mktemp("player") / "seed000.html")
    lines = [s.line for s in loss.backward_steps()]
    loss.backward()
    return loss, net, p, path, lines


def test_keys_step_through_backward(browser, seed000):
    loss, net, p, path, lines = seed000
    body = open_page(browser, path)
    assert text(browser, "hg-line").startswith("∂Loss/∂Loss = 1")
    start = grads_shown(browser)
    assert start.pop(p.drawing.ids[loss]) == "grad: 1"
    assert set(start.values()) == {"grad: 0"}  # backward resets every other gradient
    k = 7
    for _ in range(k):
        body.send_keys(Keys.ARROW_RIGHT)
    assert text(browser, "hg-line") == lines[k - 1]
    assert text(browser, "hg-count") == f"step {k} of {len(lines)}"
    body.send_keys(Keys.ARROW_LEFT)
    assert text(browser, "hg-line") == lines[k - 2]
    body.send_keys(Keys.END)
    assert text(browser, "hg-line") == lines[-1]
    # after the last step: backward()'s gradients, as draw() writes them after backward()
    assert grads_shown(browser) == drawn_grads(p.drawing.to_svg())
    checks = browser.find_elements(By.CSS_SELECTOR, "#hg-graph .hg-check")
    assert len([c for c in checks if c.is_displayed()]) == len(p.drawing.ids)  # all complete
    body.send_keys(Keys.HOME)
    assert text(browser, "hg-count") == f"step 0 of {len(lines)}"
    assert not [c for c in checks if c.is_displayed()][1:]  # only the root is complete
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def test_buttons_and_slider(browser, seed000):
    loss, net, p, path, lines = seed000
    open_page(browser, path)
    browser.find_element(By.ID, "hg-next").click()
    browser.find_element(By.ID, "hg-next").click()
    assert text(browser, "hg-line") == lines[1]
    browser.find_element(By.ID, "hg-prev").click()
    assert text(browser, "hg-line") == lines[0]
    browser.find_element(By.ID, "hg-last").click()
    assert text(browser, "hg-count") == f"step {len(lines)} of {len(lines)}"
    browser.find_element(By.ID, "hg-first").click()
    slider = browser.find_element(By.ID, "hg-slider")
    slider.send_keys(Keys.ARROW_RIGHT)  # the slider's own key: one step, not two
    slider.send_keys(Keys.ARROW_RIGHT)
    assert text(browser, "hg-line") == lines[1]
    Select(browser.find_element(By.ID, "hg-speed")).select_by_value("60")
    browser.find_element(By.ID, "hg-play").click()
    done = f"step {len(lines)} of {len(lines)}"
    WebDriverWait(browser, 30).until(lambda b: text(b, "hg-count") == done)
    assert text(browser, "hg-play") == "▶ play"  # it stops at the end


def test_click_a_card_explains_it(browser, seed000):
    loss, net, p, path, lines = seed000
    open_page(browser, path)
    w = net.parameter("w(1)10")
    browser.find_element(By.ID, p.drawing.ids[w]).click()
    assert text(browser, "hg-explain-title") == "∂Loss/∂w(1)10"
    shown = browser.find_element(By.ID, "hg-explain-text").get_attribute("textContent")
    assert shown == str(explain(loss, w))
    assert "= -0.0558" in shown


def test_hostile_labels_show_as_text_and_run_nothing(browser, tmp_path):
    attack = '<img src=x onerror="window.pwned=1">'
    x, y = Value(2.0, HOSTILE), Value(3.0, attack)
    out = (x * y + 1).named("<script>window.pwned=2</script>")
    p = player(out)
    path = p.save(tmp_path / "hostile.html")
    body = open_page(browser, path)
    assert browser.execute_script("return document.querySelectorAll('img, b').length") == 0
    assert browser.execute_script("return window.pwned") is None
    labels = browser.execute_script(
        "return [...document.querySelectorAll('#hg-graph text')].map(t => t.textContent)")
    assert {HOSTILE, attack, "<script>window.pwned=2</script>"} <= set(labels)
    lines = [s.line for s in out.backward_steps()]
    body.send_keys(Keys.END)
    assert text(browser, "hg-line") == lines[-1]
    # labels with operators in them are one symbol each, in brackets
    assert lines[-1].startswith(f"∂(<script>window.pwned=2</script>)/∂({attack}) += ")
    browser.execute_script(f"document.getElementById({json.dumps(p.drawing.ids[x])}).dispatchEvent("
                           "new MouseEvent('click', {bubbles: true}))")
    assert text(browser, "hg-explain-title") == f"∂(<script>window.pwned=2</script>)/∂({HOSTILE})"
    assert browser.execute_script("return window.pwned") is None
    assert requests(browser) == [path.as_uri()]  # the page itself, nothing else
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def test_the_request_check_sees_requests(browser, tmp_path):
    """The check above can fail: a page that does load an image is seen."""
    page = tmp_path / "control.html"
    page.write_text('<!DOCTYPE html><img src="missing.png">', encoding="utf-8")
    open_page(browser, page)
    assert (tmp_path / "missing.png").as_uri() in requests(browser)
