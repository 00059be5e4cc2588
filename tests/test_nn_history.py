"""History: lists, the text and HTML tables (first and last rows when long)."""

import pytest

from nn.history import History


def history(n, keys=("loss", "accuracy")):
    h = History(list(keys))
    for e in range(1, n + 1):
        h.append(e, {"loss": 1 / e, "accuracy": min(1.0, e / 4), "val_loss": 2e-5 * e}
                 if len(keys) > 2 else {"loss": 1 / e, "accuracy": min(1.0, e / 4)})
    return h


def test_lists_and_lookup():
    h = history(3)
    assert h["loss"] == [1.0, 0.5, 1 / 3] and h.epochs == [1, 2, 3] and len(h) == 3
    assert h.keys() == ["loss", "accuracy"] and "loss" in h and list(h) == h.keys()
    assert h.last() == {"loss": 1 / 3, "accuracy": 0.75}
    with pytest.raises(KeyError, match="no log named 'val_loss'; logged: loss, accuracy"):
        h["val_loss"]


def test_text_table():
    assert str(history(3)) == (
        "epoch      loss  accuracy\n"
        "    1  1.000000  0.250000\n"
        "    2  0.500000  0.500000\n"
        "    3  0.333333  0.750000")


def test_small_numbers_switch_to_scientific_notation():
    h = history(1, ("loss", "accuracy", "val_loss"))
    assert str(h).splitlines()[1] == "    1  1.000000  0.250000  2.0000e-05"


def test_a_long_table_keeps_the_first_and_last_ten_rows():
    lines = str(history(25)).splitlines()
    assert len(lines) == 1 + 10 + 1 + 10 + 1
    assert lines[10].split()[0] == "10" and lines[11].split() == ["…", "…", "…"]
    assert lines[12].split()[0] == "16" and lines[21].split()[0] == "25"
    assert lines[-1] == "(25 epochs; history.table(max_rows=None) shows every row)"
    assert len(history(25).table(max_rows=None).splitlines()) == 26


def test_html_table():
    html = history(2)._repr_html_()
    assert html.startswith('<table class="handgrad-history"')
    assert "<th>epoch</th><th>loss</th><th>accuracy</th>" in html
    assert "<tr><td>2</td><td>0.500000</td><td>0.500000</td></tr>" in html
    long = history(25)._repr_html_()
    assert long.count("<tr>") == 1 + 20 + 1 and "<td>…</td>" in long
    assert "(25 epochs;" in long


def test_empty_history():
    h = History(["loss"])
    assert str(h) == "History: no epoch has run"
    with pytest.raises(IndexError, match="no epoch has run"):
        h.last()
