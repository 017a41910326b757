"""``motcua tokens``: the tokens and certificates a PKCS#11 module shows (no PIN needed)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from desktop.kernel.i18n import msg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tokens", help="list tokens, their PIN state and certificates")
    p.add_argument("--pkcs11-module", help="the token's PKCS#11 library (default: settings)")
    p.add_argument("--demo-token", action="store_true", help="the SoftHSM2 demo token of this workstation")
    p.add_argument("--suggest", action="store_true", help="list the known vendor modules for this system")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, ctx: Any) -> int:
    from desktop.kernel.errors import InvalidInput
    from signing.tokens import KNOWN_MODULES, TokenManager, current_os, suggested_modules

    if args.suggest:
        available = set(suggested_modules(existing_only=True))
        rows = [{"path": p, "present": p in available} for p in KNOWN_MODULES.get(current_os(), [])]
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=1))
        else:
            for r in rows:
                print(("✓ " if r["present"] else "  ") + str(r["path"]))
        return 0
    module = args.pkcs11_module or ctx.settings.pkcs11_module
    if args.demo_token:
        from signing.demo_token import ensure_demo_token

        module = ensure_demo_token(ctx.settings.data_dir / "demo-token").module_path
    if not module:
        present = suggested_modules(existing_only=True)
        raise InvalidInput(msg("Chưa chỉ mô-đun PKCS#11 (--pkcs11-module). Có trên máy này: {h}. Thường gặp: {m}",
                               "No PKCS#11 module given (--pkcs11-module). Present here: {h}. Common ones: {m}",
                               h=", ".join(present) or "—", m=", ".join(suggested_modules())))
    tokens = TokenManager(module).list_tokens()
    if args.json:
        print(json.dumps([t.to_dict() for t in tokens], ensure_ascii=False, indent=1))
        return 0 if tokens else 1
    if not tokens:
        print(msg("Không thấy token nào: hãy cắm token.", "No token found: plug one in."))
        return 1
    for t in tokens:
        flags = [f for f, on in ((msg("PIN sắp bị khóa", "PIN count low"), t.flags.count_low),
                                 (msg("PIN: lần thử cuối", "PIN final try"), t.flags.final_try),
                                 (msg("PIN ĐÃ KHÓA", "PIN LOCKED"), t.flags.locked)) if on]
        print(f"[{t.slot_id}] {t.label} · {t.manufacturer} {t.model} · "
              + msg("sê-ri", "serial") + f" {t.serial} {' · '.join(flags)}")
        for c in t.certificates:
            warn = ""
            if c.days_to_expiry < 0:
                warn = msg("  ✗ đã hết hạn", "  ✗ expired")
            elif c.days_to_expiry < 30:
                warn = msg("  ⚠ sắp hết hạn", "  ⚠ expires soon")
            print(f"    CKA_ID {c.key_id}: {c.subject}")
            print(msg("      cấp bởi {i}; hiệu lực {a} → {d} (còn {n} ngày); dùng: {u}{w}",
                      "      issued by {i}; valid {a} → {d} ({n} days left); usage: {u}{w}",
                      i=c.issuer, a=c.not_before[:10], d=c.not_after[:10], n=c.days_to_expiry,
                      u=", ".join(c.key_usage) or "—", w=warn))
    return 0
