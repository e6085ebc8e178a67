"""Entry point for `python -m dashboard` and the `dashboard` command: checks the Python version, then runs the CLI."""
import os
import sys

MINIMUM_PYTHON = (3, 11)  # as requires-python in pyproject.toml: tomllib, and the pinned pandas and DuckDB


def main() -> int:
    """Say in one line when this Python is too old (before any import that would fail on it), else run the CLI."""
    if sys.version_info < MINIMUM_PYTHON:
        print(f"The dashboard needs Python {'.'.join(map(str, MINIMUM_PYTHON))} or newer; this is Python "
              f"{sys.version.split()[0]}.", file=sys.stderr)
        return 1
    from dashboard.cli import main as run

    try:
        return run()
    except BrokenPipeError:
        # The reader went away (`dashboard export v_actions | head -1`): stop quietly, as other Unix tools do, and
        # point standard output at /dev/null so Python's own flush at exit does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, the status a shell shows for a tool stopped by a closed pipe


if __name__ == "__main__":
    sys.exit(main())
