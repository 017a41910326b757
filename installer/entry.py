"""Frozen entry point: without arguments the window opens; with arguments, the CLI runs."""

import multiprocessing
import sys

from ui.cli import main

if __name__ == "__main__":
    # the OCR page workers are spawned processes: a frozen executable must run them, not the app
    multiprocessing.freeze_support()
    raise SystemExit(main(sys.argv[1:] or ["gui"]))
