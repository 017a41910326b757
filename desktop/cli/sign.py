"""``motcua sign`` and ``motcua verify``: PAdES signatures with a PKCS#11 token."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from desktop.errors import InvalidInput
from desktop.i18n import msg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sign", help="sign a PDF with the organization's (or a personal) token")
    p.add_argument("input", type=Path)
    p.add_argument("-o", "--output", required=True, type=Path)
    p.add_argument("--profile", default="copy", help="copy | personal (resources/signing_profiles.json)")
    p.add_argument("--pkcs11-module", help="the token's PKCS#11 library (default: settings)")
    p.add_argument("--token-label")
    p.add_argument("--key-id", help="CKA_ID of the key and certificate, hex")
    p.add_argument("--demo-token", action="store_true", help="use the SoftHSM2 demo token of this workstation")
    pin = p.add_mutually_exclusive_group()
    pin.add_argument("--pin-stdin", action="store_true", help="read the PIN from standard input")
    pin.add_argument("--pin-env", metavar="VAR", help="read the PIN from this environment variable")
    p.add_argument("--level", default="B-B", choices=["B-B", "B-T"])
    p.add_argument("--tsa", help="RFC 3161 time-stamp server URL (B-T)")
    p.add_argument("--signer", default="", help="name shown by the personal profile")
    p.add_argument("--position", default="", help="position shown by the personal profile")
    p.add_argument("--confirm-final-try", action="store_true",
                   help="try even though the next wrong PIN may lock the token")
    p.set_defaults(func=_sign)
    v = sub.add_parser("verify", help="check the signatures of a PDF; exit 0 only when all are valid")
    v.add_argument("file", type=Path)
    v.add_argument("--trust", action="append", type=Path, default=[], help="trusted root certificate (PEM/DER)")
    v.add_argument("--signer", help="expected organization in the signer's name")
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=_verify)


def _sign(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    from signing.pades import SignerIdentity, sign_pdf, token_session

    if args.level == "B-T" and not args.tsa:
        raise InvalidInput(msg("Mức B-T cần địa chỉ máy chủ cấp dấu thời gian (--tsa).", "Level B-T needs a time-stamp server (--tsa)."))
    if args.demo_token:
        from signing.demo_token import ensure_demo_token

        t = ensure_demo_token(ctx.settings.data_dir / "demo-token")
        module, label, key_id, pin = t.module_path, t.label, t.key_id, t.pin
    else:
        module = args.pkcs11_module or ctx.settings.pkcs11_module
        label, key_id = args.token_label, args.key_id
        if not (module and label and key_id):
            raise InvalidInput(msg("Cần --pkcs11-module, --token-label và --key-id (hoặc --demo-token).",
                                   "Needs --pkcs11-module, --token-label and --key-id (or --demo-token)."))
        if args.pin_stdin:
            pin = sys.stdin.readline().rstrip("\n")
        elif args.pin_env:
            pin = os.environ.get(args.pin_env, "")
        else:
            import getpass

            pin = getpass.getpass(msg("Mã PIN của token: ", "Token PIN: "))
    from signing.pin_policy import PinFailures

    failures = PinFailures(ctx.settings.data_dir / "pin_failures.json")
    with token_session(module, label, pin, failures=failures, confirm_final_try=args.confirm_final_try) as session:
        del pin  # the PIN lives only as long as the login
        out = sign_pdf(session, args.input, args.output, key_id=key_id, profile=args.profile,
                       identity=SignerIdentity(signer=args.signer, position=args.position),
                       tsa_url=args.tsa if args.level == "B-T" else None)
    print(msg("Đã ký: {o}", "Signed: {o}", o=out))
    return 0


def _verify(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    from signing.verify import verify_pdf

    report = verify_pdf(args.file, args.trust, expected_signer=args.signer)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        if not report.signatures:
            print(msg("Tệp không có chữ ký số.", "The file has no digital signature."))
        for s in report.signatures:
            state = msg("HỢP LỆ", "VALID") if s.ok else msg("KHÔNG HỢP LỆ", "NOT VALID")
            print(f"{s.field}: {state} — {s.signer}")
            print(msg("  toàn vẹn {i}, chữ ký {v}, tin cậy {t}, phạm vi {c}",
                      "  intact {i}, valid {v}, trusted {t}, coverage {c}", i=s.intact, v=s.valid, t=s.trusted,
                      c=s.coverage))
            for p in s.problems:
                print(f"  ! {p}")
    return 0 if report.ok else 1
