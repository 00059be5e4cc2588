"""Running the `handgrad` command as users do: a subprocess, or a terminal."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

HANG_GUARD = 60  # seconds: only so that a hang fails instead of blocking the suite
MODULE = (sys.executable, "-m", "handgrad")


def environment(**extra) -> dict:
    """This environment without NO_COLOR (so colour depends on the terminal), plus extra."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(extra)
    return env


def handgrad(*args, cwd=None, env=None, command=MODULE) -> subprocess.CompletedProcess:
    return subprocess.run([*command, *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          env=env or environment(), timeout=HANG_GUARD)


def run_on_a_terminal(args, cwd=None, env=None) -> tuple[int, str]:
    """(exit status, what a terminal would show) with stdout on a pseudo-terminal."""
    master, slave = pty.openpty()
    p = subprocess.Popen([*MODULE, *map(str, args)], stdout=slave, stderr=subprocess.PIPE,
                         env=env or environment(), cwd=cwd)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the terminal closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return p.wait(timeout=HANG_GUARD), b"".join(chunks).decode()
