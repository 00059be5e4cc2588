"""The error of every `handgrad` command: input it cannot use.

It is its own module so that each command's module (the `grade` command is
`grade_command.py`) can raise it without importing `cli`, which imports them.
"""


class UsageError(Exception):
    """Input the command cannot use; the message names the problem."""
