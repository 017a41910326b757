"""``motcua sign``: PAdES signatures with a PKCS#11 token (one login for all the files given)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.kernel.errors import InvalidInput
from desktop.kernel.i18n import msg

if TYPE_CHECKING:
    from desktop.workflow.signing import TokenChoice


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sign", help="sign PDFs with the organization's (or a personal) token")
    p.add_argument("input", type=Path, nargs="+", help="PDF file(s) to sign")
    p.add_argument("-o", "--output", required=True, type=Path,
                   help="signed file; a folder when several inputs are given (may equal the input)")
    add_token_options(p)
    p.add_argument("--json", action="store_true", help="print the result per file as JSON")
    p.set_defaults(func=run)


def add_token_options(p: argparse.ArgumentParser, *, profile: str = "copy") -> None:
    """The token, key, PIN and PAdES options shared by every command that signs (``motcua sign``,
    ``dossier sign``, ``dossier result``, ``forms render --sign``)."""
    p.add_argument("--profile", default=profile, help=f"copy | seal | personal (resources/signing/profiles.json; "
                                                      f"default {profile})")
    p.add_argument("--pkcs11-module", help="the token's PKCS#11 library (default: settings)")
    p.add_argument("--token-label", help="token label (default: the only token plugged in)")
    p.add_argument("--token-serial", help="token serial number")
    p.add_argument("--key-id", help="CKA_ID of the key and its certificate, hex (default: the only signing cert)")
    p.add_argument("--demo-token", action="store_true", help="use the SoftHSM2 demo token of this workstation")
    pin = p.add_mutually_exclusive_group()
    pin.add_argument("--pin-stdin", action="store_true", help="read the PIN from the first line of standard input")
    pin.add_argument("--pin-env", metavar="VAR", help="read the PIN from this environment variable")
    p.add_argument("--level", choices=["B-B", "B-T", "B-LT"], help="PAdES level (default: settings, else B-B)")
    p.add_argument("--tsa", help="RFC 3161 time-stamp server URL (B-T, B-LT)")
    p.add_argument("--trust", action="append", type=Path, default=None,
                   help="trusted root certificate (PEM/DER), for B-LT revocation data; repeatable")
    p.add_argument("--chain", action="append", type=Path, default=None, help="intermediate CA certificate file")
    p.add_argument("--organization", default=None, help="organization name shown (default: from the certificate)")
    p.add_argument("--signer", default="", help="person's name shown by the personal profile")
    p.add_argument("--position", default="", help="position shown by the personal profile")
    p.add_argument("--copy-form", default="", help="form of copy shown by the copy profile (default: SAO Y)")
    p.add_argument("--seal-image", type=Path, help="transparent PNG of the seal (seal profile)")
    p.add_argument("--seal-mm", type=float, help="real width of the seal in mm")
    p.add_argument("--confirm-final-try", action="store_true",
                   help="try even though the next wrong PIN may lock the token")


def _read_pin(args: argparse.Namespace) -> str:
    if args.pin_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if args.pin_env:
        value = os.environ.get(args.pin_env)
        if value is None:
            raise InvalidInput(msg("Biến môi trường {v} không có.", "Environment variable {v} is not set.", v=args.pin_env))
        return value
    if not sys.stdin.isatty():
        raise InvalidInput(msg("Cần mã PIN: dùng --pin-stdin hoặc --pin-env.", "A PIN is needed: use --pin-stdin or --pin-env."))
    import getpass

    return getpass.getpass(msg("Mã PIN của token: ", "Token PIN: "))


def token_choice(args: argparse.Namespace, ctx: Any) -> tuple[TokenChoice, str]:
    """The token and options the command line and the settings name, and the PIN."""
    from desktop.workflow.signing import TokenChoice
    from signing.pades import SignerIdentity

    conf = dict(ctx.settings.extra.get("signing", {}))
    identity = SignerIdentity(organization=args.organization or conf.get("organization", ""), signer=args.signer,
                              position=args.position, copy_form=args.copy_form)
    common: dict[str, Any] = dict(level=args.level, tsa_url=args.tsa, identity=identity, seal_image=args.seal_image,
                                  seal_mm=args.seal_mm, trust=tuple(args.trust) if args.trust is not None else None,
                                  chain=tuple(args.chain) if args.chain else None)
    if args.demo_token:
        from signing.demo_token import ensure_demo_token

        t = ensure_demo_token(ctx.settings.data_dir / "demo-token")
        choice = TokenChoice.from_settings(ctx.settings, **common, module_path=t.module_path, token_label=t.label,
                                           key_id=t.key_id, organization_cert=t.cert)
        if not choice.trust:
            choice = replace(choice, trust=(t.ca_cert,))
        return choice, t.pin
    choice = TokenChoice.from_settings(ctx.settings, **common, module_path=args.pkcs11_module,
                                       token_label=args.token_label, serial=args.token_serial, key_id=args.key_id)
    if not choice.module_path:
        from signing.tokens import suggested_modules

        raise InvalidInput(msg("Chưa chỉ mô-đun PKCS#11 (--pkcs11-module hoặc cài đặt). Thường gặp: {m}",
                               "No PKCS#11 module given (--pkcs11-module or settings). Common ones: {m}",
                               m=", ".join(suggested_modules())))
    return choice, _read_pin(args)


def run(args: argparse.Namespace, ctx: Any) -> int:
    from desktop.auth import Permission
    from desktop.cli._signin import officer
    from desktop.workflow.signing import sign_loose_files
    from signing.batch_signing import SignJob
    from signing.pin_policy import default_failures

    # the token's PIN proves who holds the key; the role says who may use the unit's seal
    actor = officer(args, ctx, Permission.SIGN_PERSONAL if args.profile == "personal" else Permission.SIGN_ORGANIZATION)
    choice, pin = token_choice(args, ctx)
    inputs: list[Path] = args.input
    if len(inputs) > 1 or args.output.is_dir():
        jobs = [SignJob(i, args.output / i.name) for i in inputs]
    else:
        jobs = [SignJob(inputs[0], args.output)]

    def progress(done: int, total: int, message: str = "") -> None:
        if not args.json and total > 1:
            print(f"[{done}/{total}] {message}", file=sys.stderr)

    result = sign_loose_files(ctx.db, ctx.audit, actor, jobs, choice, pin, profile=args.profile,
                              data_dir=ctx.settings.data_dir, failures=default_failures(ctx.settings.data_dir),
                              confirm_final_try=args.confirm_final_try, progress=progress)
    del pin
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
    else:
        for r in result.results:
            if r.status == "signed" and r.verified:
                print(msg("Đã ký và kiểm tra: {o}", "Signed and verified: {o}", o=r.output))
            elif r.status == "signed":
                print(msg("Đã ký {o} nhưng chữ ký KHÔNG kiểm tra được: {e}. Cần chứng thư gốc tin cậy "
                          "(--trust hoặc cài đặt) và đúng chứng thư của cơ quan.",
                          "Signed {o} but the signature does NOT verify: {e}. A trusted root (--trust or settings) "
                          "and the organization's own certificate are needed.",
                          o=r.output, e="; ".join(r.problems) or "?"), file=sys.stderr)
            elif r.status == "failed":
                print(msg("KHÔNG ký được {i}: {e}", "NOT signed {i}: {e}", i=r.input, e=r.error), file=sys.stderr)
            else:
                print(msg("Chưa ký: {i}", "Left unsigned: {i}", i=r.input), file=sys.stderr)
        if result.error:
            print(msg("Lỗi: {m}", "Error: {m}", m=result.error), file=sys.stderr)
    if result.ok and not result.not_verified:
        return 0
    return 2 if len(jobs) == 1 and result.failed else 1
