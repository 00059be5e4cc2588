"""`handgrad demo` (what `make demo` runs) through its real entry point, in a
subprocess: every bundled seed sheet graded with the documented verdicts and
numbers worked out by hand here, and the graphs written as SVG (parsed as
XML) to the output folder, with their paths printed.  (The sample
submissions it grades from their text are tested in test_grade_samples.)"""

import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from cli import HANG_GUARD, handgrad, run_on_a_terminal
from test_check import CLOSE, Q4_VERDICTS, WRONG

SHEETS = Path(__file__).resolve().parent.parent / "handgrad" / "sheets"
SVG = "{http://www.w3.org/2000/svg}"

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


def sig(z):
    return 1 / (1 + math.exp(-z))


def titles():
    """{sheet file stem: title}, read from the sheets themselves."""
    return {p.stem: tomllib.loads(p.read_text(encoding="utf-8"))["title"]
            for p in sorted(SHEETS.glob("*.toml"))}


SAMPLES_HEADING = "The sample submissions, graded from their text (handgrad grade)"


def sheets_part(stdout: str) -> list[str]:
    """The demo's lines about the answer sheets (the samples follow them)."""
    lines = stdout.splitlines()
    return lines[:lines.index(SAMPLES_HEADING)]


def demo_tables(stdout):
    """{title: [(quantity, hand, engine, mark, note)]} and {title: graph path}."""
    by_title = {t: stem for stem, t in titles().items()}
    tables, graphs, rows = {}, {}, None
    for line in sheets_part(stdout):
        if line in by_title:
            rows = tables[line] = []
            current = line
        elif rows is not None and line.startswith("  graph: "):
            graphs[current] = line.removeprefix("  graph: ")
        elif rows is not None and re.match(r"  (?!quantity |-{8}|\d+ hand answers)\S", line):
            cells = re.split(r"\s{2,}", line.strip())
            rows.append(tuple(cells) + ("",) * (5 - len(cells)))
    return tables, graphs


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("demo")
    r = handgrad("demo", "--out", "graphs", cwd=cwd)
    return r, cwd


# seed 000 by hand: x = (0.2, 0.5), the 2-2-2 sigmoid network
A10, A11 = sig(0.2 * 0.2 + 0.1 * 0.5), sig(0.1 * 0.2 + 0.2 * 0.5)
Y1, Y2 = sig(0.4 * A10 + 0.1 * A11), sig(0.5 * A10 + 0.3 * A11)
D20, D21 = (Y1 - 1) * Y1 * (1 - Y1), Y2 * Y2 * (1 - Y2)  # Q4: ∂Loss/∂z20, ∂Loss/∂z21
LOSS = 0.5 * ((Y1 - 1) ** 2 + Y2 ** 2)
G_W1_10 = D20 * A10
G_W0_10 = (D20 * 0.4 + D21 * 0.5) * A10 * (1 - A10) * 0.2


def test_demo_runs_and_exits_0_despite_the_wrong_answers(demo):
    r, _ = demo
    assert r.returncode == 0 and r.stderr == ""
    tables, _ = demo_tables(r.stdout)
    assert list(tables) == list(titles().values())  # every sheet, in file order


def test_seed000_q4_table(demo):
    r, _ = demo
    rows = demo_tables(r.stdout)[0][titles()["seed000_q4"]]
    marks = {"✓": "correct", "≈": CLOSE, "✗": WRONG}
    quantity = {("Loss", "value"): "Loss", ("a10", "value"): "a10",
                ("w(1)10", "update"): "w(1)10 − 0.1·∂Loss/∂w(1)10",
                ("w(0)10", "update"): "w(0)10 − 0.1·∂Loss/∂w(0)10"}
    expected = {}
    for (key, kind), verdict in Q4_VERDICTS.items():
        q = quantity.get((key, kind))
        if q is None:  # "dLoss/dy1" is shown as ∂Loss/∂y1
            q = re.sub(r"^d(.+)/d(.+)$", r"∂\1/∂\2", key)
        expected[q] = verdict
    assert {row[0]: marks[row[3]] for row in rows} == expected
    engine = {row[0]: float(row[2]) for row in rows}
    for q, value in [("Loss", LOSS), ("a10", A10), ("∂Loss/∂y1", Y1 - 1), ("∂Loss/∂z20", D20),
                     ("∂Loss/∂w(1)10", G_W1_10), ("∂Loss/∂w(0)10", G_W0_10),
                     ("w(1)10 − 0.1·∂Loss/∂w(1)10", 0.4 - 0.1 * G_W1_10),
                     ("w(0)10 − 0.1·∂Loss/∂w(0)10", 0.2 - 0.1 * G_W0_10)]:
        assert engine[q] == pytest.approx(value, abs=5e-7), q  # six decimals shown
    notes = {row[0]: row[4] for row in rows}
    assert notes["∂y1/∂z20"] == f"should be {Y1 * (1 - Y1):.4f}"
    assert notes["w(0)10 − 0.1·∂Loss/∂w(0)10"].startswith(
        f"should be {0.2 - 0.1 * G_W0_10:.5f}; the result implies")


def test_every_sheet_shows_exactly_its_wrong_and_close_answers(demo):
    r, _ = demo
    tables, _ = demo_tables(r.stdout)
    t = titles()
    expected = {  # (✗, ≈) by quantity; verdicts from test_check and test_sheet
        "seed000_q3": ({"MSE"}, {"a11", "z21"}),
        "seed001": ({"∂L/∂W3_11", "∂L/∂W3_21", "W3_11 − 0.1·∂L/∂W3_11",
                     "W3_21 − 0.1·∂L/∂W3_21"}, set()),
        "seed004_another_example": (set(), set()),
        "seed004_softmax": (set(), set()),
        "seed004_sse": ({"sq2", "SSE"}, set()),
    }
    for stem, (wrong, close) in expected.items():
        rows = tables[t[stem]]
        assert {row[0] for row in rows if row[3] == "✗"} == wrong, stem
        assert {row[0] for row in rows if row[3] == "≈"} == close, stem
    sse = {row[0]: row for row in tables[t["seed004_sse"]]}
    assert sse["SSE"][1:] == ("0.54", "0.14", "✗",
                              "should be 0.14; first wrong factor: sq2 = 0.49 (should be 0.09)")


def test_summary_and_where_the_sheets_are(demo):
    r, _ = demo
    lines = [line for line in sheets_part(r.stdout) if line]
    n = 0
    for p in SHEETS.glob("*.toml"):
        answers = tomllib.loads(p.read_text(encoding="utf-8"))["answers"]
        n += sum(len(answers.get(k, {})) for k in ("values", "grads", "updates"))
    # wrong: Q3 1, Q4 13, seed 001 4, SSE 2; close: Q3 2, Q4 2
    assert lines[-3] == f"6 sheets: {n} hand answers, 20 wrong, 4 off by one in the last digit"
    where = re.fullmatch(r"the sheets: (.+)", lines[-2])
    assert re.fullmatch(r"grade your own: \S*handgrad check SHEET\.toml.*", lines[-1])
    assert sorted(p.name for p in Path(where[1]).glob("*.toml")) == sorted(
        p.name for p in SHEETS.glob("*.toml"))


def svg_texts(path):
    return [t.text for t in ET.parse(path).getroot().iter(f"{SVG}text")]


def test_graphs_are_written_and_their_paths_printed(demo):
    r, cwd = demo
    _, graphs = demo_tables(r.stdout)
    t = titles()
    assert graphs == {t[stem]: f"graphs/{stem}.svg" for stem in t}
    for path in graphs.values():
        assert ET.parse(cwd / path).getroot().tag == f"{SVG}svg"


def test_seed000_network_svg_after_backward(demo):
    _, cwd = demo
    texts = svg_texts(cwd / "graphs" / "seed000_q4.svg")
    for label in ("x1", "x2", "w(0)10", "w(0)21", "w(1)10", "z10", "z21", "a10", "a11",
                  "y1", "y2", "Loss"):
        assert label in texts
    # values and gradients, four decimals as drawn (and as the step trace prints)
    assert f"data: {A10:.4f}" in texts          # 0.5225
    assert f"data: {LOSS:.4f}" in texts         # 0.2767
    assert f"grad: {G_W1_10:.4f}" in texts      # -0.0558
    assert f"grad: {D20:.4f}" in texts          # ∂Loss/∂z20 = -0.1069
    assert "grad: 1" in texts                   # the root
    # clustered by layer and neuron: the model was passed to the drawing
    assert {"layer 1", "layer 2", "L1.n1", "L2.n2"} <= set(texts)
    q3 = svg_texts(cwd / "graphs" / "seed000_q3.svg")
    mse = 0.5 * ((sig(0.4 * A10 + 0.1 * A11) - 0.2) ** 2 + (Y2 - 0.7) ** 2)
    assert {"a20", "a21", "MSE", f"data: {mse:.4f}"} <= set(q3)


def test_default_output_folder(tmp_path):
    r = handgrad("demo", cwd=tmp_path)
    assert r.returncode == 0
    assert "  graph: handgrad-out/seed000_q4.svg" in r.stdout.splitlines()
    assert sorted(p.name for p in (tmp_path / "handgrad-out").iterdir()) == sorted(
        f"{p.stem}.svg" for p in SHEETS.glob("*.toml"))


def test_out_that_cannot_be_a_folder(tmp_path):
    (tmp_path / "taken").write_text("a file", encoding="utf-8")
    r = handgrad("demo", "--out", "taken", cwd=tmp_path)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith("handgrad demo: error: --out taken: ")


def test_help(tmp_path):
    r = handgrad("demo", "--help", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.startswith("usage: handgrad demo")
    for part in ("examples:", "handgrad demo --out", "--out DIR", "handgrad-out",
                 "exit status"):
        assert part in r.stdout


def test_closed_pipe_is_not_an_error(tmp_path):
    p = subprocess.Popen([sys.executable, "-m", "handgrad", "demo"], cwd=tmp_path,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.close()  # like `handgrad demo | head -0`
    assert p.wait(timeout=HANG_GUARD) == 0
    assert p.stderr.read() == b""


def test_colour_only_on_a_terminal(tmp_path):
    code, out = run_on_a_terminal(["demo"], cwd=tmp_path)
    assert code == 0
    assert "\033[1m" in out and "\033[31m✗\033[0m" in out and "\033[32m✓\033[0m" in out
    plain = handgrad("demo", "--no-color", cwd=tmp_path).stdout
    assert "\033" not in plain and "✗" in plain
