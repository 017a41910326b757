"""Frozen entry point: without arguments the window opens; with arguments, the CLI runs."""

import multiprocessing
import sys

if __name__ == "__main__":
    # The OCR page workers are spawned processes started from this executable: freeze_support
    # makes such a child run the worker it was started for, not the application. It comes
    # before the CLI import so that a worker does not pay for importing the whole CLI.
    multiprocessing.freeze_support()
    from ui.cli import main  # the window commands as well as the core CLI

    raise SystemExit(main(sys.argv[1:] or ["gui"]))
