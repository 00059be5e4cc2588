"""What `handgrad check` reports (issue #11, items 1 and 3-6): a tolerance's
WRONG note and `min_digits` from a sheet, a folder summary that names what
failed, a problem's error before a missing [answers], and the JSON and CSV
rows (their fields are handgrad.rows.FIELDS, shared with `handgrad grade`)."""

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from cli import handgrad

SHEETS = Path(__file__).resolve().parent.parent / "handgrad" / "sheets"

# Matt Mazur's step-by-step network (mattmazur.com, 2015), one bias per neuron
# here; his published ∂E/∂w5 = 0.082167041 and ∂E/∂w6 = (0.45 − 0.408666186)/0.5.
MAZUR = """\
title = "Mazur's example"
[problem]
inputs = [0.05, 0.10]
targets = [0.01, 0.99]
loss = "half_sse"
lr = 0.5
[[problem.layers]]
weights = [[0.15, 0.20], [0.25, 0.30]]
biases = [0.35, 0.35]
activation = "sigmoid"
[[problem.layers]]
weights = [[0.40, 0.45], [0.50, 0.55]]
biases = [0.60, 0.60]
activation = "sigmoid"
[problem.labels]
weights = [[["w1", "w2"], ["w3", "w4"]], [["w5", "w6"], ["w7", "w8"]]]
loss = "E"
"""


def sheet(tmp_path, text, name="sheet.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- items 1 and 3: the options of [answers] ----------------------------------------------

def test_a_sheets_tolerance_names_the_engines_value(tmp_path):
    path = sheet(tmp_path, MAZUR + '[answers]\ntol = 1e-4\n[answers.grads]\nw5 = "0.08"\n')
    r = handgrad("check", path, cwd=tmp_path)
    assert r.returncode == 1
    cells = re.split(r"\s{2,}", r.stdout.splitlines()[-1])
    assert cells[0] == "w5" and cells[-2:] == ["WRONG", "should be 0.0822"]


def test_a_sheets_min_digits(tmp_path):
    path = sheet(tmp_path, MAZUR + '[answers]\nmin_digits = 3\n'
                                   '[answers.grads]\nw5 = "0.08"\nw6 = "0.0827"\n')
    r = handgrad("check", path, cwd=tmp_path)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert lines[1] == "2 answers checked against E: 1 too coarse"
    assert lines[3].endswith("TOO COARSE  too coarse: write at least 3 significant digits "
                             "(0.0822)")
    assert lines[4].split()[-1] == "correct"


@pytest.mark.parametrize("value", ["0", "-2", "1.5", "true", '"3"'])
def test_min_digits_must_be_a_positive_integer(tmp_path, value):
    path = sheet(tmp_path, MAZUR + f'[answers]\nmin_digits = {value}\n'
                                   '[answers.grads]\nw5 = "0.08"\n')
    r = handgrad("check", path, cwd=tmp_path)
    assert r.returncode == 2
    assert "error: answers.min_digits: expected a positive integer" in r.stderr


def test_the_help_lists_min_digits():
    assert "min_digits" in handgrad("check", "--help").stdout
