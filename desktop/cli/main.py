"""Entry point of the ``motcua`` command: global options, sub-command discovery, errors.

A :class:`~desktop.kernel.errors.MotcuaError` prints its (localized) message and exits with its
code; any other exception is logged with its traceback to the log file and the user sees
one line saying where the log is.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import sys
from collections.abc import Callable, Sequence

from desktop import __version__
from desktop.context import AppContext
from desktop.kernel.errors import MotcuaError
from desktop.kernel.files import restrict_umask
from desktop.kernel.i18n import msg, set_language
from desktop.logging_setup import setup_logging

log = logging.getLogger("motcua")


Register = Callable[[argparse._SubParsersAction], None]


def build_parser(extra: Sequence[Register] = ()) -> argparse.ArgumentParser:
    """The parser with every ``desktop.cli`` command, plus ``extra`` ones (the window commands
    that ``ui.cli`` adds: the core knows nothing of Qt)."""
    parser = argparse.ArgumentParser(
        prog="motcua",
        description="motcua — Bộ phận Một cửa: one-stop counter workstation",
    )
    parser.add_argument("--version", action="version", version=f"motcua {__version__}")
    parser.add_argument("--db-url", help="SQLAlchemy URL (default: SQLite in the data dir; env MOTCUA_DB_URL)")
    parser.add_argument("--data-dir", help="data directory (env MOTCUA_DATA_DIR)")
    parser.add_argument("--lang", choices=["vi", "en"], help="language of messages (default vi)")
    parser.add_argument("--user", metavar="NAME",
                        help="sign in as this officer (env MOTCUA_USER; password from MOTCUA_PASSWORD, the "
                             "terminal or the first line of stdin); default: the “motcua login” session")
    parser.add_argument("-v", "--verbose", action="store_true", help="log to stderr too")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    import desktop.cli as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if info.name == "main" or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"desktop.cli.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    for register in extra:
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None, *, extra: Sequence[Register] = ()) -> int:
    # before anything is written: scans, receipts, exports, logs are nobody else's to read
    # (given back at the end for a caller that runs commands in-process, as the tests do)
    old = restrict_umask()
    try:
        return _main(argv, extra)
    finally:
        if old is not None:
            os.umask(old)


def _main(argv: Sequence[str] | None, extra: Sequence[Register]) -> int:
    parser = build_parser(extra)
    args = parser.parse_args(argv)
    if args.lang:
        set_language(args.lang)
    ctx = AppContext.from_cli(args)
    if ctx.settings.language and not args.lang:
        set_language(ctx.settings.language)
    log_file = setup_logging(ctx.settings.log_dir, verbose=args.verbose)
    if ctx.settings.problems and args.command != "config":  # `config` shows them itself
        for problem in ctx.settings.problems:
            print(msg("Chú ý (cấu hình): {p}", "Warning (settings): {p}", p=problem), file=sys.stderr)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 0
    try:
        return int(func(args, ctx) or 0)
    except MotcuaError as exc:
        log.info("command %s failed: %s", args.command, exc.message)
        print(msg("Lỗi: {m}", "Error: {m}", m=exc), file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(msg("Đã dừng theo yêu cầu.", "Stopped on request."), file=sys.stderr)
        return 130
    except Exception as exc:
        explained = _explain(exc, ctx)
        if explained is not None:  # the system refused: say what and how to fix it, keep the details
            log.warning("command %s failed: %s", args.command, explained.message, exc_info=exc)
            print(msg("Lỗi: {m}", "Error: {m}", m=explained), file=sys.stderr)
            return explained.exit_code
        # a bug: keep the traceback out of the user's face, but keep it
        log.exception("unexpected error in command %s", args.command)
        print(msg("Lỗi không mong đợi; chi tiết đã ghi vào {f}",
                  "Unexpected error; details were written to {f}", f=log_file), file=sys.stderr)
        return 1
    finally:
        ctx.close()


def _explain(exc: BaseException, ctx: AppContext) -> MotcuaError | None:
    """An operating-system or database refusal as a message with its fix; None for a bug."""
    from desktop.kernel.errors import explain_os_error

    if isinstance(exc, OSError):
        return explain_os_error(exc)
    if type(exc).__module__.startswith("sqlalchemy"):
        from desktop.db.engine import explain_database_error

        return explain_database_error(exc, ctx.settings.resolved_db_url())
    return None


if __name__ == "__main__":
    raise SystemExit(main())
