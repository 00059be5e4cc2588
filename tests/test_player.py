"""The step-through player's page, read as text: one self-contained file, one
frame per backward step with the step's own line, the last frame equal to
backward(), every card explained, hostile labels kept as text.  The same
page is driven in a real browser in test_player_browser.py."""

import base64
import hashlib
import html
import json
import math
import re
from html.parser import HTMLParser

import pytest

from autograd import Value, explain
from autograd.draw import GraphTooLargeError
from autograd.player import player
from nn import MLP
from seeds import tobigs_mlp

pytestmark = pytest.mark.usefixtures("in_process_graphviz")

HOSTILE = "</script><img src=x onerror=alert(1)>"


def page_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="hg-data">(.*?)</script>', page, re.S)
    return json.loads(m.group(1))


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, and each script's text."""

    def __init__(self, page):
        super().__init__()
        self.tags, self.scripts, self._in_script = [], [], False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


@pytest.fixture(scope="module")
def seed000():
    loss, net = tobigs_mlp()
    return loss, net, player(loss, model=net)


def test_one_frame_per_backward_step_with_its_line(seed000):
    loss, net, p = seed000
    data = page_data(p.html)
    # 4 weight edges into layer 1 (its inputs are plain numbers), 2 sigmoids,
    # 8 edges into layer 2 (2 weights + 2 activations, twice), 2 sigmoids, and
    # the loss ½((y1 − 1)² + (y2 − 0)²): 2 subtractions, 2 squares, a sum of 2, × ½
    assert len(data["steps"]) == 4 + 2 + 8 + 2 + (2 + 2 + 2 + 1) == 23
    lines = [s.line for s in loss.backward_steps()]
    assert [f["line"] for f in data["steps"]] == lines
    # the first step to use an auto-name of the loss defines it, under the line
    assert data["steps"][0]["where"] == "∂Loss/∂t5 = 0.5; t5 = t2 + t4 = 0.5534"
    assert data["start"].startswith("∂Loss/∂Loss = 1")


def test_last_frame_is_backward(seed000):
    """The running gradients after the last frame are backward()'s, and they
    are the chain rule worked out by hand for two weights."""
    loss, net, p = seed000
    data = page_data(p.html)
    final = dict(data["initial"])
    for f in data["steps"]:
        final.update(f["grads"])
    loss.backward()
    ids = p.drawing.ids
    w10, w0 = net.parameter("w(1)10"), net.parameter("w(0)10")
    sig = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731
    a10, a11 = sig(0.2 * 0.2 + 0.1 * 0.5), sig(0.1 * 0.2 + 0.2 * 0.5)
    y1, y2 = sig(0.4 * a10 + 0.1 * a11), sig(0.5 * a10 + 0.3 * a11)
    d_z20, d_z21 = (y1 - 1) * y1 * (1 - y1), y2 * y2 * (1 - y2)
    assert final[ids[w10]] == f"grad: {d_z20 * a10:.4f}" == "grad: -0.0558"
    d_w0 = (d_z20 * 0.4 + d_z21 * 0.5) * a10 * (1 - a10) * 0.2
    assert final[ids[w0]] == f"grad: {d_w0:#.4g}" == "grad: 0.001470"
    svg_texts = [html.unescape(t) for t in re.findall(r">(grad: [^<]*)<", p.drawing.to_svg())]
    assert sorted(final.values()) == sorted(svg_texts)  # drawn after backward(): the same cards
    assert data["done"][ids[loss]] == 0  # the root's gradient is complete from the start
    assert max(data["done"].values()) == 23


def test_every_card_is_explained(seed000):
    loss, net, p = seed000
    data = page_data(p.html)
    w = net.parameter("w(1)10")
    entry = data["explain"][p.drawing.ids[w]]
    assert entry["title"] == "∂Loss/∂w(1)10"
    assert entry["text"] == str(explain(loss, w))
    cards = {i for i in p.drawing.ids.values()}
    assert set(data["explain"]) == cards


def test_the_page_is_self_contained(seed000):
    page = seed000[2].html
    parsed = Elements(page)
    tags = [t for t, _ in parsed.tags]
    assert tags.count("script") == 2 and tags.count("style") == 1
    for tag, attrs in parsed.tags:  # nothing names anything outside the page
        assert not {"src", "href", "xlink:href", "action"} & set(attrs), (tag, attrs)
        assert tag not in ("link", "img", "iframe", "object", "embed", "base")
    assert "url(" not in page and "@import" not in page
    assert set(re.findall(r"\w+://[^\s\"]*", page)) == {  # the SVG's namespaces only
        "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    csp = next(a["content"] for t, a in parsed.tags
               if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    code = parsed.scripts[1]
    digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
    assert csp.startswith("default-src 'none'; ")
    assert f"script-src 'sha256-{digest}'" in csp  # only the page's own script runs


def test_hostile_labels_stay_text():
    x = Value(2.0, HOSTILE)
    y = Value(3.0, '<b onclick="x()">&amp;"\'')
    out = (x * y).named("<script>alert(2)</script>")
    page = player(out).html
    parsed = Elements(page)
    tags = [t for t, _ in parsed.tags]
    assert tags.count("script") == 2 and "img" not in tags and "b" not in tags
    assert not any(k.startswith("on") for _, attrs in parsed.tags for k in attrs)
    data = page_data(page)  # the JSON holds the labels exactly, once decoded
    assert HOSTILE in data["steps"][0]["line"]
    assert data["root"] == "<script>alert(2)</script>"
    assert html.escape("backpropagation of <script>alert(2)</script>") in page  # the title


def test_save_and_jupyter(seed000, tmp_path):
    p = seed000[2]
    path = p.save(tmp_path / "backprop.html")
    assert path.read_text(encoding="utf-8") == p.html
    with pytest.raises(ValueError, match=r"'g\.svg'.*\.html"):
        p.save(tmp_path / "g.svg")
    frame = p._repr_html_()
    m = re.fullmatch(r'<iframe sandbox="allow-scripts" srcdoc="([^"]*)" style="[^"]*" '
                     r'title="[^"]*"></iframe>', frame)
    assert m and html.unescape(m.group(1)) == p.html  # sandboxed: no same-origin access
    assert "23 backward steps of Loss" in repr(p)


def test_options_and_errors():
    x = Value(1.0, "x")
    with pytest.raises(TypeError, match="highlight"):
        player(x * 2, highlight=x)
    with pytest.raises(TypeError, match="needs a Value"):
        player(1.0)
    chain = Value(1.0, "c0")
    for _ in range(400):
        chain = chain + 1
    with pytest.raises(GraphTooLargeError, match="max_nodes"):
        player(chain)
    assert len(page_data(player(chain, max_nodes=401).html)["steps"]) == 400
    leaf = player(Value(5.0, "lonely"))
    assert page_data(leaf.html)["steps"] == []


def test_collapsed_view_highlights_box_edges_and_updates_box_grads():
    """In a neuron view a step into a box runs along the edge into the box
    (or stays inside it), and the box's grad line is the running sum of its
    output's gradient: for L = (ŷ − 1)², ∂L/∂ŷ = 2(ŷ − 1), complete after
    one step."""
    model = MLP.from_weights(weights=[[[0.5, -0.5], [1.0, 0.25]], [[1.5, -1.0]]],
                             activations=["tanh", "identity"])
    x = [Value(0.3, "x1"), Value(-0.7, "x2")]
    out = model(x)
    p = player(((out - 1.0) ** 2).named("L"), model=model, collapse="neuron")
    svg = html.unescape(p.drawing.to_svg())
    data = page_data(p.html)
    edges = {e for f in data["steps"] for e in f["edge"]}
    assert edges and all(f'id="{e}"' in svg for e in edges)
    y_hat = 1.5 * math.tanh(0.5 * 0.3 - 0.5 * -0.7) - 1.0 * math.tanh(1.0 * 0.3 + 0.25 * -0.7)
    out_box = p.drawing.ids[out]
    changes = [f["grads"][out_box] for f in data["steps"] if out_box in f["grads"]]
    assert changes == [f"grad: {2 * (y_hat - 1):.4f}"]
    assert data["initial"][out_box] == "grad: 0"
    into_x1 = [f for f in data["steps"] if f["to"] == p.drawing.ids[x[0]]]
    assert len(into_x1) == 2 and all(f["edge"] == [f"{f['from']}-from-{f['to']}"] for f in into_x1)  # both layer-1 boxes ← x1
