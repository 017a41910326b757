"""``motcua dossier sign CODE``: every unsigned copy of the dossier signed in place, verified,
recorded, its upload released — in a subprocess, with the real SoftHSM2 token."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from desktop.auth import Actor
from desktop.config import load_settings
from desktop.context import AppContext
from signing.verify import verify_pdf
from tests.signing.conftest import motcua
from tests.signing.hsm import HsmToken
from tests.signing.pki import TestPKI


def test_dossier_sign_signs_verifies_and_releases_the_uploads(hsm: HsmToken, pki: TestPKI, tmp_path: Path,
                                                             make_pdf: Callable[..., Path]) -> None:
    data = tmp_path / "ws"
    ctx = AppContext(load_settings(data))
    try:
        d = ctx.dossiers.receive(Actor.cli(), procedure_code="1.001193", applicant_name="Lê Thị Mai")
        for comp in ("TK", "GCS"):
            ctx.dossiers.attach_file(Actor.cli(), d.code, make_pdf(f"{comp}.pdf"), component=comp)
        assert ctx.outbox.counts().get("waiting") == 2
    finally:
        ctx.close()
    env = {**hsm.env(), "PIN": hsm.pin}
    common = ("--pkcs11-module", hsm.module, "--token-label", hsm.label, "--key-id", "01", "--pin-env", "PIN",
              "--trust", str(pki.ca_pem))
    r = motcua(env, data, "dossier", "sign", "NO-SUCH-CODE", *common)
    assert r.returncode != 0 and "NO-SUCH-CODE" in r.stderr
    r = motcua(env, data, "dossier", "sign", d.code, *common, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert [o["state"] for o in out] == ["verified", "verified"] and hsm.pin not in r.stdout + r.stderr
    ctx = AppContext(load_settings(data))
    try:
        files = ctx.dossiers.files(d.code)
        assert {f.signature_state for f in files} == {"verified"}
        for f in files:
            assert verify_pdf(Path(f.path), [pki.ca_pem]).ok
        counts = ctx.outbox.counts()
        assert counts.get("waiting", 0) == 0 and counts.get("pending") == 3  # the dossier and both copies
    finally:
        ctx.close()
    r = motcua(env, data, "dossier", "sign", d.code, *common)  # nothing left: says so, asks no PIN
    assert r.returncode == 0 and "chưa ký" in r.stdout
