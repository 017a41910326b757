"""Frozen entry point: without arguments the window opens; with arguments, the CLI runs."""

import sys

from desktop.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:] or ["gui"]))
