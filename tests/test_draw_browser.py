"""Drawings as a browser shows them (headless Chromium): every line of text
fits inside its card, with Korean labels and the widest Latin letters, in
whatever fonts of the stack this machine has (#11, item 13)."""

import pytest

import browser as headless
from autograd import Value
from autograd.draw import draw

if not headless.available():
    pytest.skip(f"the browser tests {headless.MISSING}", allow_module_level=True)

pytestmark = pytest.mark.usefixtures("in_process_graphviz")

LABELS = ["은닉층 첫 번째 뉴런의 활성화 출력값", "가중치", "입력 x₁ (입력층의 첫 번째 값)",
          "WWWWMMMMWWWWMMMM@@", "学習率と誤差逆伝播法の勾配", "a very long label for one node, as "
          "users write them"]


def overflowing(driver, svg: str) -> list[tuple[str, float, float]]:
    """(text, its width, its card's width) for every card line wider than its card."""
    driver.get("data:text/html;charset=utf-8,<!DOCTYPE html><body></body>")
    driver.execute_script("document.body.innerHTML = arguments[0]", svg[svg.index("<svg"):])
    return driver.execute_script("""
        const out = [];
        for (const card of document.querySelectorAll("g.node")) {
            const outline = card.querySelector("polygon");
            if (!outline) continue;  // a plain number: no card
            const box = outline.getBBox();
            for (const t of card.querySelectorAll("text")) {
                const b = t.getBBox();
                if (b.x < box.x - 0.5 || b.x + b.width > box.x + box.width + 0.5)
                    out.push([t.textContent, b.width, box.width]);
            }
        }
        return out;""")


@pytest.fixture(scope="module")
def driver():
    with headless.chromium() as d:
        yield d


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_text_fits_its_card(driver, rankdir):
    xs = [Value(0.5 + k, label) for k, label in enumerate(LABELS)]
    y = xs[0]
    for x in xs[1:]:
        y = (y * x - 1234.5678).named(f"{x.label} 합")
    y.backward()
    svg = draw(y, rankdir=rankdir).to_svg()
    assert svg.count('class="node') > 3 * len(LABELS)
    assert overflowing(driver, svg) == []
