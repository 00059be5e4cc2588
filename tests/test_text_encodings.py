"""Files as Windows editors save them: UTF-8 with a byte-order mark is
read, UTF-16 is named as such, by `handgrad check` and `handgrad grade` alike."""

from __future__ import annotations

import pytest
from cli import handgrad

SHEET = '[problem]\nexpression = "sigmoid(w*x)"\nname = "s"\n[problem.at]\nw = 0.5\nx = 2.0\n'


def test_a_problem_file_or_sheet_saved_with_a_utf8_bom_is_read(tmp_path):
    # Notepad's "UTF-8 with BOM": Markdown submissions were read, TOML files were
    # "not valid TOML: Invalid statement (at line 1, column 1)"
    problem = tmp_path / "p.toml"
    problem.write_bytes(b"\xef\xbb\xbf" + (SHEET + '[answers.values]\ns = "0.7311"\n').encode())
    hw = tmp_path / "hw.md"
    hw.write_bytes("\ufeff$$s = 0.7311$$\n".encode())
    assert handgrad("check", problem).returncode == 0
    run = handgrad("grade", problem, hw)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("command", ["check", "grade-problem", "grade-submission"])
def test_a_utf16_file_is_named_as_utf16(tmp_path, command):
    utf16 = SHEET.encode("utf-16")  # with its byte-order mark, as Windows writes it
    problem, hw = tmp_path / "p.toml", tmp_path / "hw.md"
    problem.write_text(SHEET, encoding="utf-8")
    hw.write_text("$$s = 0.7311$$\n", encoding="utf-8")
    bad = hw if command == "grade-submission" else problem
    bad.write_bytes(utf16 if bad is problem else "$$s = 0.7311$$\n".encode("utf-16"))
    run = handgrad(*(["check", problem] if command == "check" else ["grade", problem, hw]))
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1
    assert f"{bad.name}: " in run.stderr
    assert run.stderr.endswith(": UTF-16 text, not UTF-8 (save it as UTF-8)\n")
