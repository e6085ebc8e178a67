"""Entry point for `python -m dashboard` and the `dashboard` command: checks the Python version, then runs the CLI."""
import sys

MINIMUM_PYTHON = (3, 11)  # as requires-python in pyproject.toml: tomllib, and the pinned pandas and DuckDB


def main() -> int:
    """Say in one line when this Python is too old (before any import that would fail on it), else run the CLI."""
    if sys.version_info < MINIMUM_PYTHON:
        print(f"The dashboard needs Python {'.'.join(map(str, MINIMUM_PYTHON))} or newer; this is Python "
              f"{sys.version.split()[0]}.", file=sys.stderr)
        return 1
    from dashboard.cli import main as run

    return run()


if __name__ == "__main__":
    sys.exit(main())
