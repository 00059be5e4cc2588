"""handgrad, the application: the `handgrad` command, answer sheets, and
homework graded as it is written.

It stands on the two libraries: `autograd` (the engine and its teaching
readers) and `nn` (networks, losses, optimizers, data), and neither of them
imports it.  `cli.py` is the command's entry point (`handgrad grad`, `check`, `demo`
and `grade`, each from its `*_command.py`; `checked.py` and `rows.py` write a check
run's summary, JSON and CSV; `environment.py` speaks when a Python lacks the
dependencies); `sheet.py` reads and grades TOML answer sheets, whose format
`sheet_format.py` specifies; `sheets/` holds the bundled seed homeworks.
Grading a Markdown or notebook submission number by number:
`report.grade_markdown` and `report.grade_files`, over `document` (the math
and its lines), `latex` and `formula` (equations as trees), `chains` (what
each number claims), `grading` (judged by `autograd.check`) and `problem`
(problem files); `samples/` holds the sample submissions the demo grades.
"""
