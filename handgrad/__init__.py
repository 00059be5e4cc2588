"""handgrad, the application: the `handgrad` command and answer sheets.

It stands on the two libraries: `autograd` (the engine and its teaching
readers) and `nn` (networks, losses, optimizers, data), and neither of them
imports it.  `cli.py` is the command (`handgrad grad`, `check`, `demo`;
`checked.py` and `rows.py` write a check run's summary, JSON and CSV;
`environment.py` speaks when a Python lacks the dependencies);
`sheet.py` reads and grades TOML answer sheets, whose format `sheet_format.py`
specifies; `sheets/` holds the bundled seed homeworks.
"""
