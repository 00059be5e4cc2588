"""`handgrad check` through its real entry points, in subprocesses: the bundled
seed sheets' verdicts (documented in test_check and test_sheet), folders and
their summary line, exit codes, malformed and hostile sheets, --svg."""

import math
import re
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from cli import handgrad, run_on_a_terminal
from test_check import Q4_VERDICTS, WRONG

SHEETS = Path(__file__).resolve().parent.parent / "handgrad" / "sheets"

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


def sections(stdout):
    """{sheet path: rows} from check's output; a row is (answer, quantity, hand,
    engine, Δ, verdict, note) split at the table's two-space column gaps."""
    found, rows = {}, None
    for line in stdout.splitlines():
        if re.match(r"\d+ sheets?: ", line):  # the summary of several sheets ends the tables
            break
        head = re.match(r"(\S+\.toml): ", line)
        if head:
            rows = found[head[1]] = []
        elif rows is not None and line and not line.startswith(("answer ", "answers ")) \
                and not re.search(r" answers? checked against ", line):
            cells = re.split(r"\s{2,}", line)
            rows.append(tuple(cells) + ("",) * (7 - len(cells)))
    return found


def summary_line(stdout):
    """The first line of the summary of several sheets."""
    return next(line for line in stdout.splitlines() if re.match(r"\d+ sheets?: ", line))


def wrong_rows(rows):
    return {(r[0], r[1]) for r in rows if r[5] == "WRONG"}


def answers_in(path):
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return sum(len(data["answers"].get(k, {})) for k in ("values", "grads", "updates"))


# The wrong answers of each bundled sheet, as (answer key, quantity); the
# verdicts are worked out in test_check (seed 000 Q4, seed 001) and test_sheet.
Q4_WRONG = {key for (key, kind), v in Q4_VERDICTS.items() if v == WRONG}
EXPECTED_WRONG = {
    "seed000_q3.toml": {("MSE", "MSE")},
    "seed000_q4.toml": Q4_WRONG,
    "seed001.toml": {("W3_11", "∂L/∂W3_11"), ("W3_21", "∂L/∂W3_21"),
                     ("W3_11", "W3_11 − 0.1·∂L/∂W3_11"), ("W3_21", "W3_21 − 0.1·∂L/∂W3_21")},
    "seed004_another_example.toml": set(),
    "seed004_softmax.toml": set(),
    "seed004_sse.toml": {("sq2", "sq2"), ("SSE", "SSE")},
}


@pytest.mark.parametrize("name", sorted(EXPECTED_WRONG))
def test_each_bundled_sheet(tmp_path, name):
    r = handgrad("check", SHEETS / name, cwd=tmp_path)
    wrong = EXPECTED_WRONG[name]
    assert r.returncode == (1 if wrong else 0) and r.stderr == ""
    (rows,) = sections(r.stdout).values()
    assert len(rows) == answers_in(SHEETS / name)
    got = wrong_rows(rows)
    if name == "seed000_q4.toml":  # keys are unique in this sheet except w(1)10
        got = {key for key, _ in got}
    assert got == wrong
    assert not re.search(r"\d+ sheets?: ", r.stdout)  # one file: no summary line


def test_q4_numbers_through_the_command(tmp_path):
    def sig(z):
        return 1 / (1 + math.exp(-z))
    a10, a11 = sig(0.09), sig(0.12)
    y1, y2 = sig(0.4 * a10 + 0.1 * a11), sig(0.5 * a10 + 0.3 * a11)
    d20, d21 = (y1 - 1) * y1 * (1 - y1), y2 * y2 * (1 - y2)
    dw0_10 = (d20 * 0.4 + d21 * 0.5) * a10 * (1 - a10) * 0.2
    r = handgrad("check", SHEETS / "seed000_q4.toml", cwd=tmp_path)
    (rows,) = sections(r.stdout).values()
    engine = {(row[0], row[1]): float(row[3]) for row in rows}
    # the table shows the engine two digits beyond the hand answer
    assert engine["dLoss/dw(0)10", "∂Loss/∂w(0)10"] == pytest.approx(dw0_10, abs=5e-7)
    assert engine["Loss", "Loss"] == pytest.approx(0.5 * ((y1 - 1) ** 2 + y2 ** 2), abs=5e-6)
    assert engine["w(0)10", "w(0)10 − 0.1·∂Loss/∂w(0)10"] == pytest.approx(0.2 - 0.1 * dw0_10,
                                                                            abs=5e-7)
    assert r.stdout.splitlines()[0] == (
        f"{SHEETS / 'seed000_q4.toml'}: Seed 000, Q4: backpropagation and one SGD step on the "
        f"2-2-2 network")


def test_a_folder_in_one_call(tmp_path):
    r = handgrad("check", SHEETS, cwd=tmp_path)
    assert r.returncode == 1 and r.stderr == ""
    found = sections(r.stdout)
    assert [Path(p).name for p in found] == sorted(EXPECTED_WRONG)  # sorted, every sheet
    total = sum(answers_in(p) for p in SHEETS.glob("*.toml"))
    wrong = sum(len(w) for w in EXPECTED_WRONG.values())
    assert wrong == 1 + 13 + 4 + 2
    assert summary_line(r.stdout) == (
        f"6 sheets: 2 ok, 4 with wrong answers ({wrong} of {total} answers wrong)")


def test_several_files_get_a_summary(tmp_path):
    r = handgrad("check", SHEETS / "seed004_softmax.toml",
                 SHEETS / "seed004_another_example.toml", cwd=tmp_path)
    assert r.returncode == 0
    n = answers_in(SHEETS / "seed004_softmax.toml") + answers_in(
        SHEETS / "seed004_another_example.toml")
    assert r.stdout.splitlines()[-1] == f"2 sheets: 2 ok ({n} answers, none wrong)"


# -- malformed sheets: exit 2, the key path on stderr ---------------------------------------

GOOD = """\
[problem]
inputs = [0.2, 0.5]
targets = [1.0]
loss = "half_sse"
lr = 0.1

[[problem.layers]]
weights = [[0.2, 0.1], [0.1, 0.2]]
activation = "sigmoid"

[[problem.layers]]
weights = [[0.4, 0.1]]
activation = "sigmoid"

[problem.labels]
weights = "w{l}{j}{i}"
z = "z{l}{j}"
a = "a{l}{j}"

[answers.values]
a11 = "0.5225"
"""

MALFORMED = [
    ("syntax", GOOD.replace('loss = "half_sse"', "loss = half_sse"),
     r"not valid TOML: .*\(at line 4, column 8\)"),
    ("no answers", GOOD.split("[answers.values]")[0], r"answers: missing: \[answers\]"),
    ("no problem", "[answers.values]" + GOOD.split("[answers.values]")[1],
     r"problem: missing"),
    ("shape", GOOD.replace("[[0.4, 0.1]]", "[[0.4, 0.1, 0.3]]"),
     r"problem\.layers\[2\]\.weights: expected rows of 2 numbers .* got a 1 × 3 matrix"),
    ("type", GOOD.replace("lr = 0.1", 'lr = "fast"'), r"problem\.lr: expected a number"),
    ("activation", GOOD.replace('activation = "sigmoid"\n\n[problem.labels]',
                                'activation = "sigmoidal"\n\n[problem.labels]'),
     r"problem\.layers\[2\]\.activation: unknown activation 'sigmoidal'"),
    ("loss", GOOD.replace('"half_sse"', '"cross-entropy"'), r"problem\.loss: unknown loss"),
    ("unknown key", GOOD.replace("lr = 0.1", "lr = 0.1\nmomentum = 0.9"),
     r"problem\.momentum: unknown key"),
    ("label", GOOD + 'a99 = "0.5"\n',
     r"answers\.values\.a99: no node is labelled 'a99'; the labels in this graph are: L, a11, "
     r"a12, a21, w111, "),
    ("not a number", GOOD.replace('"0.5225"', '"about a half"'),
     r'answers\.values\.a11: expected a hand answer: a number written as a string'),
    ("pattern", GOOD.replace('"z{l}{j}"', '"z{l.__class__.__mro__}"'),
     r"problem\.labels\.z: \{l\.__class__\.__mro__\} .* is not a field here"),
]


@pytest.mark.parametrize("name, text, message", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_sheets(tmp_path, name, text, message):
    sheet = tmp_path / "sheet.toml"
    sheet.write_text(text, encoding="utf-8")
    r = handgrad("check", sheet, cwd=tmp_path)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith(f"handgrad check: error: {sheet}: ")
    assert re.search(message, r.stderr), r.stderr
    assert r.stderr.count("\n") == 1


def test_the_good_sheet_is_good(tmp_path):
    sheet = tmp_path / "sheet.toml"
    sheet.write_text(GOOD, encoding="utf-8")
    r = handgrad("check", sheet, cwd=tmp_path)
    assert r.returncode == 0
    (rows,) = sections(r.stdout).values()
    assert [(row[0], row[2], row[5]) for row in rows] == [("a11", "0.5225", "correct")]


SMUGGLED = [
    'expression = "__import__(\'os\').system(\'touch pwned\')"',
    'expression = "open(\'pwned\', \'w\')"',
    'expression = "x"\n[problem.let]\ny = "().__class__.__bases__[0].__subclasses__()"',
    'expression = "exec(\'import os; os.system(1)\')"',
]


@pytest.mark.parametrize("expression", SMUGGLED)
def test_code_in_a_sheet_is_never_run(tmp_path, expression):
    sheet = tmp_path / "evil.toml"
    sheet.write_text(f'[problem]\n{expression}\n[problem.at]\nx = 1.0\n'
                     f'[answers.values]\nx = "1"\n', encoding="utf-8")
    r = handgrad("check", sheet, cwd=tmp_path)
    assert r.returncode == 2 and r.stdout == ""
    assert re.match(rf"handgrad check: error: {re.escape(str(sheet))}: "
                    r"problem\.(expression|let\.y): .*(not allowed|unknown function)", r.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.toml"]


def test_a_folder_with_a_malformed_sheet(tmp_path):
    folder = tmp_path / "sheets"
    folder.mkdir()
    shutil.copy(SHEETS / "seed004_sse.toml", folder / "a.toml")
    shutil.copy(SHEETS / "seed004_softmax.toml", folder / "c.toml")
    (folder / "b.toml").write_text(GOOD.replace("[[0.4, 0.1]]", "[[0.4]]"), encoding="utf-8")
    (folder / "notes.txt").write_text("not a sheet", encoding="utf-8")
    r = handgrad("check", folder, cwd=tmp_path)
    assert r.returncode == 2
    assert [Path(p).name for p in sections(r.stdout)] == ["a.toml", "c.toml"]
    assert r.stderr.startswith(f"handgrad check: error: {folder / 'b.toml'}: "
                               f"problem.layers[2].weights: ")
    n = answers_in(folder / "a.toml") + answers_in(folder / "c.toml")
    assert summary_line(r.stdout) == (
        f"3 sheets: 1 ok, 1 with wrong answers (2 of {n} answers wrong), 1 malformed")


OVERFLOW = """\
[problem]
expression = "1e300*sqrt(x)"
at = { x = 1e-300 }

[answers.grads]
x = "1"
"""


def test_a_gradient_that_overflows_is_a_one_line_error(tmp_path):
    # f = 1e300·√x = 1e150 at x = 1e-300, but ∂f/∂x = 1e300·½/√x = 5e449: nothing to grade
    sheet = tmp_path / "overflow.toml"
    sheet.write_text(OVERFLOW, encoding="utf-8")
    r = handgrad("check", sheet, cwd=tmp_path)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == (f"handgrad check: error: {sheet}: problem: the gradient at x is inf: "
                        f"it overflowed; these numbers cannot be graded\n")
    shutil.copy(SHEETS / "seed004_sse.toml", tmp_path / "fine.toml")
    r = handgrad("check", tmp_path, cwd=tmp_path)  # the other sheets are still graded
    assert r.returncode == 2 and [Path(p).name for p in sections(r.stdout)] == ["fine.toml"]
    assert summary_line(r.stdout).endswith(", 1 malformed")


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "missing.toml", "no such file or folder"),
    (lambda d: d, "no *.toml answer sheets in this folder"),
])
def test_nothing_to_check(tmp_path, make, message):
    r = handgrad("check", make(tmp_path), cwd=tmp_path)
    assert r.returncode == 2 and r.stdout == "" and message in r.stderr


def test_usage_errors():
    r = handgrad("check")
    assert r.returncode == 2 and "SHEET" in r.stderr


# -- --svg --------------------------------------------------------------------------------

def test_svg_writes_each_graph(tmp_path):
    r = handgrad("check", SHEETS / "seed000_q4.toml", SHEETS / "seed004_sse.toml",
                 "--svg", "graphs", cwd=tmp_path)
    assert r.returncode == 1  # wrong answers
    assert r.stderr == "wrote graphs/seed000_q4.svg\nwrote graphs/seed004_sse.svg\n"
    svg = ET.parse(tmp_path / "graphs" / "seed000_q4.svg").getroot()
    texts = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert {"w(0)10", "z10", "a10", "y1", "Loss"} <= texts
    assert "grad: 1" in texts  # drawn after backward: ∂Loss/∂Loss
    sse = ET.parse(tmp_path / "graphs" / "seed004_sse.svg").getroot()
    assert "data: 0.14" in {t.text for t in sse.iter("{http://www.w3.org/2000/svg}text")}


def test_svg_names_must_not_collide(tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(SHEETS / "seed004_sse.toml", other / "seed004_sse.toml")
    r = handgrad("check", SHEETS / "seed004_sse.toml", other / "seed004_sse.toml",
                 "--svg", "graphs", cwd=tmp_path)
    assert r.returncode == 2 and "more than one sheet is named seed004_sse.toml" in r.stderr
    assert not (tmp_path / "graphs").exists()


# -- help, colour, the console script -------------------------------------------------------

def test_help():
    r = handgrad("check", "--help")
    assert r.returncode == 0 and r.stdout.startswith("usage: handgrad check")
    for part in ("examples:", "handgrad check homework.toml", "[answers.values]",
                 "[problem.let]", "W[out][in]", "exit status"):
        assert part in r.stdout
    assert "check" in handgrad("--help").stdout


def test_colour_only_on_a_terminal(tmp_path):
    args = ["check", SHEETS / "seed004_sse.toml", SHEETS / "seed004_softmax.toml"]
    code, out = run_on_a_terminal(args, cwd=tmp_path)
    assert code == 1 and "\033[1m" in out
    assert "\033" not in run_on_a_terminal([*args, "--no-color"], tmp_path)[1]
    assert "\033" not in handgrad(*args, cwd=tmp_path).stdout


def test_installed_console_script(tmp_path):
    script = Path(sys.executable).parent / "handgrad"
    assert script.exists(), "the editable install provides the `handgrad` script"
    r = handgrad("check", SHEETS, cwd=tmp_path, command=(str(script),))
    assert r.returncode == 1
    assert r.stdout == handgrad("check", SHEETS, cwd=tmp_path).stdout
