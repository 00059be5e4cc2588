"""fit's progress bars: shown on a terminal (a pseudo-terminal here) and in
Jupyter (a widget), silent in a pipe and with progress=False."""

import subprocess
import sys

import cli
import nbformat
from cli import HANG_GUARD
from test_notebooks import execute

SCRIPT = """
import nn
X, y = nn.datasets.moons(40, labels=(-1, 1))
model = nn.MLP(2, [4, 1], seed=1)
h = nn.fit(model, X, y, loss="hinge", optimizer=nn.SGD(model.parameters(), lr=0.1), epochs=3,
           batch_size=10, seed=0, progress={progress})
print("trained", len(h), "epochs")
"""


def on_a_terminal(code: str) -> str:
    """What an 80-column terminal receives from stdout and stderr together."""
    status, shown = cli.on_a_terminal([sys.executable, "-c", code], stderr_too=True, columns=80)
    assert status == 0
    return shown


def test_a_terminal_shows_the_bars():
    shown = on_a_terminal(SCRIPT.format(progress=True))
    assert "trained 3 epochs" in shown
    final = [line for line in shown.split("\r") if "training: 100%" in line]
    assert final and "3/3" in final[-1] and "loss=" in final[-1] and "accuracy=" in final[-1]
    assert "epoch 1:" in shown and "/4" in shown     # the batch bar: 40 samples in 4 batches
    assert "\x1b[A" in shown                          # tqdm moves up a line between the bars


def test_progress_false_is_silent_on_a_terminal():
    shown = on_a_terminal(SCRIPT.format(progress=False))
    assert shown.replace("\r", "").strip() == "trained 3 epochs"


def test_a_pipe_gets_no_bars():
    p = subprocess.run([sys.executable, "-c", SCRIPT.format(progress=True)], capture_output=True,
                       text=True, timeout=HANG_GUARD)
    assert (p.returncode, p.stdout, p.stderr) == (0, "trained 3 epochs\n", "")


def test_jupyter_gets_a_widget(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(SCRIPT.format(progress=True))])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    assert execute(nb, "progress.ipynb", tmp_path) is None
    outputs = nb.cells[0].outputs
    widgets = [o for o in outputs if "application/vnd.jupyter.widget-view+json"
               in o.get("data", {})]
    assert len(widgets) == 2                          # the epoch bar and the batch bar
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert text == "trained 3 epochs\n"               # no text bar, no warning on stderr
