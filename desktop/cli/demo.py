"""``motcua demo``: the headless demo of the counter's core, printing what it did."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="headless demo: reception, receipt, calendar, reports, audit")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    from desktop.demo import run_headless_demo

    return run_headless_demo(ctx)
