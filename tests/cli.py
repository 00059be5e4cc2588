"""Running the `handgrad` command as users do: a subprocess, or a terminal (any
command can be run on a pseudo-terminal with `on_a_terminal`)."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios

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
    """(exit status, what a terminal would show) of `handgrad args` with stdout on a
    pseudo-terminal."""
    return on_a_terminal([*MODULE, *map(str, args)], env=env or environment(), cwd=cwd)


def on_a_terminal(argv, *, env=None, cwd=None, stderr_too: bool = False,
                  columns: int | None = None) -> tuple[int, str]:
    """(exit status, what the terminal received) of any command run with stdout
    (and, with `stderr_too`, stderr) on a pseudo-terminal `columns` wide."""
    master, slave = pty.openpty()
    if columns is not None:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    p = subprocess.Popen(argv, stdout=slave, stderr=slave if stderr_too else subprocess.PIPE,
                         env=env, cwd=cwd)
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
