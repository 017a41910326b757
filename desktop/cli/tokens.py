"""``motcua tokens``: the tokens and certificates a PKCS#11 module shows (no PIN needed)."""

from __future__ import annotations

import argparse
import json

from desktop.i18n import msg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tokens", help="list tokens and their certificates")
    p.add_argument("--pkcs11-module", help="the token's PKCS#11 library (default: settings)")
    p.add_argument("--demo-token", action="store_true", help="the SoftHSM2 demo token of this workstation")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace, ctx) -> int:  # type: ignore[no-untyped-def]
    from desktop.errors import InvalidInput
    from signing.tokens import KNOWN_MODULES, list_tokens

    module = args.pkcs11_module or ctx.settings.pkcs11_module
    if args.demo_token:
        from signing.demo_token import ensure_demo_token

        module = ensure_demo_token(ctx.settings.data_dir / "demo-token").module_path
    if not module:
        raise InvalidInput(msg("Chưa chỉ mô-đun PKCS#11 (--pkcs11-module). Thường gặp: {m}",
                               "No PKCS#11 module given (--pkcs11-module). Common ones: {m}",
                               m=", ".join(KNOWN_MODULES["windows"] + KNOWN_MODULES["linux"])))
    tokens = list_tokens(module)
    if args.json:
        print(json.dumps([t.to_dict() for t in tokens], ensure_ascii=False, indent=1))
        return 0
    if not tokens:
        print(msg("Không thấy token nào: hãy cắm token.", "No token found: plug one in."))
        return 1
    for t in tokens:
        flags = [f for f, on in (("PIN count low", t.count_low), ("PIN final try", t.final_try), ("PIN LOCKED", t.locked)) if on]
        print(f"[{t.slot_id}] {t.label} · {t.manufacturer} {t.model} · serial {t.serial} {' '.join(flags)}")
        for c in t.certificates:
            warn = msg("  ⚠ sắp hết hạn", "  ⚠ expires soon") if c.days_to_expiry < 30 else ""
            print(f"    CKA_ID {c.key_id}: {c.subject}")
            print(msg("      cấp bởi {i}; hết hạn {d} ({n} ngày){w}", "      issued by {i}; expires {d} ({n} days){w}",
                      i=c.issuer, d=c.not_after[:10], n=c.days_to_expiry, w=warn))
    return 0
