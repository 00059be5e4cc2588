"""A graded submission's HTML as a browser shows it (headless Chromium):
`handgrad grade --format html` and the view Jupyter gets.  Every number is
marked in its verdict's colour with what it should be, what the student
wrote (markup included) shows as text and runs nothing, and the page asks
for nothing beyond itself.

These tests need Debian's `chromium` and `chromium-driver` (`.ci/run`
installs them); without them the module is skipped with one line saying so.
"""

import pytest

import browser as headless
from examples import neuron_problem
from handgrad.report import grade_markdown

if not headless.available():
    pytest.skip(f"the browser tests {headless.MISSING}", allow_module_level=True)

from test_player_browser import open_page, requests  # noqa: E402 (needs selenium: checked above)

# s = σ(w·x) at w = 0.5, x = 2 (examples.neuron_problem): s = 0.7310586,
# ∂s/∂w = 0.1966119 × 2 = 0.3932239 (0.3333 is wrong), and with lr 0.1,
# w⁺ = 0.5 − 0.03932239 = 0.4606776 (0.4607 is right).
ATTACK = "<script>window.pwned=2</script>"
HOMEWORK = f"""# 풀이 </script><img src=x onerror="window.pwned=1"> <b>bold</b>

$s = \\sigma(wx) = \\sigma(0.5 \\times 2) \\approx 0.7311$

$$\\frac{{\\partial s}}{{\\partial w}} = s(1 - s) \\times x = 0.1966 \\times 2 = 0.3333$$

$$w^{{+}} = 0.5 - 0.1 \\times 0.3932 = 0.4607$$

$\\text{{{ATTACK}}} = 0.7311$
"""

MARKS = """return [...document.querySelectorAll('mark')].map(m => [m.textContent, m.className,
    m.title, getComputedStyle(m).color])"""


@pytest.fixture(scope="module")
def browser():
    with headless.chromium() as driver:
        yield driver


@pytest.fixture(scope="module")
def report():
    return grade_markdown(neuron_problem(lr=0.1), HOMEWORK, "hw.md")


def test_the_page_marks_each_number_and_runs_nothing_of_the_document(browser, report, tmp_path):
    path = tmp_path / "graded.html"
    path.write_text(report.to_html(), encoding="utf-8")
    body = open_page(browser, path)
    marks = browser.execute_script(MARKS)  # [text, verdict, what it should be, colour]
    assert [m[:2] for m in marks[:5]] == [["0.7311", "correct"], ["0.3333", "wrong"],
                                          ["0.5", "correct"], ["0.1", "correct"],
                                          ["0.4607", "correct"]]
    assert marks[1][2] == "∂s/∂w: should be 0.3932; arithmetic: should be 0.3932"
    assert marks[0][3] != marks[1][3]  # right and wrong look different
    assert "✗0.3333 ∂s/∂w: should be 0.3932" in body.text
    assert ATTACK in body.text  # the student's markup, as text
    assert browser.execute_script("return document.querySelectorAll('img, b, script').length") == 0
    assert browser.execute_script("return window.pwned") is None
    assert requests(browser) == [path.as_uri()]  # the page itself, nothing else


def test_the_jupyter_view_runs_nothing_of_the_document(browser, report, tmp_path):
    """Jupyter puts `_repr_html_` into its page as it is: a blank page with
    the fragment written into it the same way shows the marks and runs nothing."""
    path = tmp_path / "cell.html"
    path.write_text("<!DOCTYPE html><meta charset='utf-8'><body></body>", encoding="utf-8")
    open_page(browser, path)
    browser.execute_script("document.body.innerHTML = arguments[0]", report._repr_html_())
    assert ATTACK in browser.find_element("tag name", "body").text
    assert browser.execute_script("return document.querySelectorAll('img, b, script').length") == 0
    assert browser.execute_script("return window.pwned") is None
    assert "✗" in browser.find_element("tag name", "body").text
