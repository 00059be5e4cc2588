"""`python -m handgrad ...` is the `handgrad` command."""

import sys

from .environment import missing_dependency

try:
    from .cli import main
except ModuleNotFoundError as e:  # a Python without the dependencies (not the .venv)
    message = missing_dependency(e, "handgrad")
    if message is None:
        raise
    print(message, file=sys.stderr)
    sys.exit(2)

if __name__ == "__main__":
    sys.exit(main())
