"""`handgrad grade` on megabyte documents: the bound the issue sets is
"seconds for a 1 MB file".

One run times, side by side, a bundled sample homework (ko_q3q4.md, 3 kB)
and five 1 MB documents: that homework repeated, 72,000 one-line equations,
one 1 MB equation, 1 MB of prose and 1 MB of `$`.  Each is read, graded and
reported as text (what the command does, less starting Python), three times
in alternation; the figures are medians of CPU time, and the ratio is to the
3 kB homework.

    .venv/bin/python bench/grade_bench.py
"""

from __future__ import annotations

import statistics
import time

from handgrad.document import read_text
from handgrad.grade_command import SAMPLES
from handgrad.grading import grade_document
from handgrad.problem import load_problem
from handgrad.report import Report

MB = 1_000_000


def documents() -> dict[str, str]:
    homework = (SAMPLES / "ko_q3q4.md").read_text(encoding="utf-8")
    return {
        "the sample homework (3 kB)": homework,
        "the homework repeated to 1 MB": (homework + "\n\n") * (MB // len(homework.encode())),
        "72,000 equations of one line": "\n\n".join("$z_{10} = 0.26$" for _ in range(MB // 17)),
        "one equation of 1 MB": "$$z_{10} = " + "0.5 + " * (MB // 6) + "0.5$$",
        "1 MB of prose with numbers": "Lorem ipsum 0.5 and 0.25 dolor sit amet. " * (MB // 41),
        "1 MB of $": "$" * MB,
    }


def grade_once(problem, text: str) -> float:
    start = time.process_time()
    report = Report([grade_document(problem, read_text(text))])
    report.text()
    return time.process_time() - start


def main() -> None:
    problem = load_problem(SAMPLES / "ko_q3q4.toml")
    docs = documents()
    times: dict[str, list[float]] = {name: [] for name in docs}
    for _ in range(3):  # in alternation, so that a noisy host slows all alike
        for name, text in docs.items():
            times[name].append(grade_once(problem, text))
    base = statistics.median(times["the sample homework (3 kB)"])
    print(f"{'document':34} {'size':>9} {'CPU s':>7} {'× the homework':>15}")
    for name, text in docs.items():
        t = statistics.median(times[name])
        print(f"{name:34} {len(text.encode()):>9,} {t:7.2f} {t / base:15.0f}")


if __name__ == "__main__":
    main()
