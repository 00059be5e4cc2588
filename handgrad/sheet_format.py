"""The answer-sheet format, specified once, and the problem file's top level.

Every key a sheet may have, with what it holds, is declared here as data:
the readers check sheets against these tables (an unknown key is an error
that lists what the table takes), `handgrad check --help` prints
`reference()` written from them, and the README points here.  The bundled
sheets in handgrad/sheets/ are complete examples.  A problem file (`handgrad
grade`) is a sheet's [problem] with the keys of PROBLEM_FILE and PART, which
`problem.py` reads.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

import nn


@dataclass(frozen=True)
class Table:
    """A TOML table of the format: `what` it is, its `keys` (each either a
    plain key's description or a nested Table), `required` keys, and for a
    table whose keys the sheet chooses (inputs, labels), `free`: what one
    such entry looks like.  `array`: written [[name]], one table per item."""

    what: str
    keys: dict[str, "str | Table"] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    free: str | None = None
    array: bool = False
    called: str | None = None  # how messages name it at the top level ("a sheet")

    def allowed(self) -> dict[str, str]:
        """Key → what it is, for the message about an unknown key."""
        return {k: v if isinstance(v, str) else v.what for k, v in self.keys.items()}


_LR = "the learning rate, for answers.updates"
_TITLE = "a short title (optional)"

EXPRESSION = Table("an expression with its inputs", {
    "expression": 'the expression, e.g. "(sigmoid(w*x) - 2)**2", in the language '
                  'that `handgrad grad --help` describes (never run as Python)',
    "name": "the result's label (default f)",
    "at": Table("a table: a number for every input (a name outside A-Z a-z 0-9 _ is "
                'quoted, as TOML asks: "가중치" = 0.5)', free='x1 = 1.7'),
    "let": Table("a table of named nodes, name = expression, in order; each may use the "
                 "inputs and the names defined above it", free='s = "sigmoid(w1*x1)"'),
    "lr": _LR,
}, required=("expression",))

LAYER = Table("one per layer: weights, biases, activation", {
    "weights": "W[out][in] as the homework writes it: one row per neuron, one number per input",
    "biases": "one number per neuron, or one number: a bias all the layer's neurons share "
              "(optional: no biases)",
    "activation": f"one of {', '.join(nn.ACTIVATIONS)} (or linear/none)",
}, required=("weights", "activation"), array=True)

LABELS = Table("a table of labels: weights, biases, inputs, z, a, errors, loss", {
    "weights": "a pattern with {l} {j} {i} (0-based {l0} {j0} {i0}), or [layer][out][in] labels",
    "biases": "a pattern with {l} {j} (0-based {l0} {j0}), or [layer][out] labels; a "
              "shared bias: {l} only, or one label in its layer's place",
    "inputs": "a pattern with {i} {k} (0-based {i0} {k0}), or one per input",
    "z": "a pattern with {l} {j} {k} (0-based {l0} {j0} {k0}), or one entry per layer",
    "a": "like z, for the activations",
    "errors": "a pattern with {j} {k} (0-based {j0} {k0}) for ŷ − y, or one per output",
    "loss": "the loss's label (default L)",
})

NETWORK = Table("a network", {
    "layers": LAYER,
    "inputs": "the inputs: [x1, x2] for one sample, [[x1, x2], ...] for several",
    "targets": "the targets, one number per output (per sample)",
    "loss": f"the loss of one sample: {', '.join(nn.LOSSES)}",
    "combine": "with several samples, how their losses combine: mean or sum",
    "labels": LABELS,
    "lr": _LR,
}, required=("layers", "inputs", "targets", "loss"))

HAND = ('a hand answer: a number written as a string, like "0.5225", "-1.3e-2" or "2/3" '
        '(strings keep trailing zeros; a TOML number such as 0.50 loses them)')

ANSWERS = Table("the hand answers to grade", {
    "values": Table("label = hand answer: forward values", free='a10 = "0.5225"'),
    "grads": Table('label = hand answer: ∂root/∂label, or "dU/dV" = hand answer between labels',
                   free='"dL/ds" = "-2.2984"'),
    "updates": Table("label = hand answer: the parameter after one step, "
                     "label − lr·∂root/∂label", free='w1 = "0.4056"'),
    "factors": Table('answer = ["factor", ...] or [["factor", ...], ...]: how it was multiplied',
                     free='"dL/dw" = ["dL/ds", "ds/dw"]'),
    "tol": "absolute tolerance, replaces the rounding rule",
    "rtol": "relative tolerance, replaces the rounding rule",
    "slack": "how many units the last digit may be off and still be close (default 1)",
    "min_digits": "significant digits an answer must carry: one written with fewer is "
                  "marked too coarse, not correct",
})

SHEET = Table("an answer sheet", {
    "title": _TITLE,
    "problem": "[problem]: an expression or a network",
    "answers": "[answers]: the hand answers to grade",
}, required=("problem", "answers"), called="a sheet")
"""The top level; [problem] is EXPRESSION or NETWORK, [answers] is ANSWERS."""

PART = Table("[[parts]]: one per question, each with start and its problem", {
    "start": 'the marker where this part of the document starts, e.g. "Q3." or "$$z_{20} =": '
             "the part starts at the first line that starts with it (after Markdown heading "
             "marks, bullets and emphasis), whitespace insignificant (\"$$ z_{20}=\" and a "
             "line break after $$ match \"$$z_{20} =\"), and $ and $$ interchangeable where "
             "it starts with math (an inline $z_{20} = …$ starts it too)",
    "title": _TITLE,
    "problem": "[parts.problem] (optional after the first part: the previous one's)",
    "notation": "[parts.notation]",
    "factors": "[parts.factors]",
}, required=("start",), array=True, called="a part")

PROBLEM_FILE = Table("a problem file", {
    "title": _TITLE,
    "problem": "[problem]: an expression or a network, as in an answer sheet",
    "notation": "[notation]: document symbol = engine label or a number",
    "factors": "[factors]: answer = [[factor, ...], ...], how it is multiplied",
    "answers": "[answers]: ignored by grade (so an answer sheet is a problem file)",
    "parts": PART,
}, called="a problem file")
"""The top level of `handgrad grade`'s problem file (problem.py says the rest)."""


def reference(width: int = 79) -> str:
    """The whole format as text: every key, indented under its table."""
    lines = ["an answer sheet is TOML, data only (nothing in it is run):"]
    _key(lines, "title", SHEET.keys["title"], "", width)
    for problem, heading in ((EXPRESSION, "either"), (NETWORK, "or")):
        _table(lines, "problem", problem, "", width, f"{heading} {problem.what}")
    _table(lines, "answers", ANSWERS, "", width, ANSWERS.what)
    lines += textwrap.wrap(f"Hand answers are {HAND[len('a hand answer: '):]}.", width,
                           initial_indent="  ", subsequent_indent="  ")
    return "\n".join(lines)


def _table(lines: list[str], path: str, t: Table, indent: str, width: int, what: str) -> None:
    _key(lines, f"[[{path}]]" if t.array else f"[{path}]", what, indent, width)
    if t.free is not None:
        lines.append(f"{indent}    e.g. {t.free}")
    for name, value in t.keys.items():
        if isinstance(value, Table):
            _table(lines, f"{path}.{name}", value, indent + "  ", width, value.what)
        else:
            _key(lines, name, value, indent + "  ", width)


def _key(lines: list[str], name: str, what: str, indent: str, width: int) -> None:
    head, column = f"{indent}  {name}", 26
    if len(head) >= column - 1:  # a long name gets its own line
        lines.append(head)
        head = ""
    lines.extend(textwrap.wrap(what, width, initial_indent=head.ljust(column),
                               subsequent_indent=" " * column))
