"""Batch signing time per document against raw PKCS#11 + bare pyHanko, measured in one run.

    .venv/bin/python bench/signing_bench.py [--docs 50]

Builds its own SoftHSM2 token (RSA-2048 key made on the token, test CA certificate) and
a loopback TSA/OCSP/CRL (tests/signing/pki.py, served from a child process), and N
one-page A4 PDFs.

Baseline per document, on the same files and the same logged-in session:
  raw  = one ``CKM_SHA256_RSA_PKCS`` sign of 32 bytes with the token's key;
  bare = pyHanko ``sign_pdf`` with a ``PKCS11Signer`` made once, invisible field,
         SHA-256, output to memory; at B-B, and at B-T / B-LT with the same TSA and a
         validation context kept for the run (as the batch keeps its own).
Measured: ``signing.batch_signing.sign_batch`` at B-B with the "copy" profile (visible stamp
with the Vietnamese font, certificate and PDF checks, temporary file + fsync + rename),
one login for the batch. The target is B-B per document <= 1.5 x (raw + bare).
B-T and B-LT add the round trips to the local TSA (and OCSP/CRL once per batch).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from signing.batch_signing import SignJob, sign_batch  # noqa: E402
from signing.pades import token_session  # noqa: E402
from tests.signing.hsm import make_token  # noqa: E402
from tests.signing.pki import TestPKI  # noqa: E402


def make_pdfs(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        p = folder / f"doc{i:03d}.pdf"
        c = canvas.Canvas(str(p), pagesize=A4)
        c.drawString(72, 760, f"Giay chung nhan so {i:03d} - ban so hoa")
        for k in range(30):
            c.drawString(72, 720 - k * 20, f"Dong noi dung {k} cua van ban so {i}")
        c.save()
        out.append(p)
    return out


def baseline(tok, pki, files: list[Path]) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Mean seconds per document: raw sign, and bare pyHanko at each level (same session)."""
    from pkcs11 import Mechanism, ObjectClass
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps
    from pyhanko.sign.pkcs11 import PKCS11Signer
    from pyhanko_certvalidator import ValidationContext

    from signing.pades import load_certs

    times: dict[str, list[float]] = {"raw": [], "B-B": [], "B-T": [], "B-LT": []}
    with token_session(tok.module, tok.label, tok.pin) as s:
        key = s.get_key(object_class=ObjectClass.PRIVATE_KEY, id=bytes.fromhex("01"))
        signer = PKCS11Signer(s, key_id=b"\x01", cert_id=b"\x01", ca_chain=load_certs([pki.ca_pem]))
        _ = signer.signing_cert
        tsa = timestamps.HTTPTimeStamper(f"{pki.url}/tsa")
        vc = ValidationContext(trust_roots=load_certs([pki.ca_pem]), allow_fetching=True)
        for i, f in enumerate(files):
            t = time.perf_counter()
            key.sign(os.urandom(32), mechanism=Mechanism.SHA256_RSA_PKCS)
            times["raw"].append(time.perf_counter() - t)
            for level in ("B-B", "B-T", "B-LT"):
                t = time.perf_counter()
                with open(f, "rb") as inf:
                    meta = signers.PdfSignatureMetadata(field_name=f"Bare{i}", md_algorithm="sha256",
                                                        subfilter=fields.SigSeedSubFilter.PADES,
                                                        embed_validation_info=level == "B-LT",
                                                        validation_context=vc if level == "B-LT" else None)
                    signers.sign_pdf(IncrementalPdfFileWriter(inf), meta, signer=signer, output=io.BytesIO(),
                                     timestamper=tsa if level != "B-B" else None)
                times[level].append(time.perf_counter() - t)
    return {k: statistics.mean(v) for k, v in times.items()}


def ours(tok, pki, files: list[Path], out: Path, level: str) -> float:  # type: ignore[no-untyped-def]
    shutil.rmtree(out, ignore_errors=True)
    jobs = [SignJob(f, out / f.name) for f in files]
    t = time.perf_counter()
    res = sign_batch(jobs, module_path=tok.module, token_label=tok.label, key_id="01", pin=tok.pin, profile="copy",
                     level=level, tsa_url=f"{pki.url}/tsa", trust_roots=[pki.ca_pem])
    elapsed = time.perf_counter() - t
    assert res.ok, res.to_dict()
    return elapsed / len(files)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=50)
    args = ap.parse_args()
    base = Path(tempfile.mkdtemp(prefix="motcua-sign-bench-"))
    os.environ["MOTCUA_FONT_CACHE"] = str(base / "cache")
    try:
        pki = TestPKI(base / "pki")
        tok = make_token(base / "hsm", pki)
        files = make_pdfs(base / "in", args.docs)
        pki.serve_in_subprocess()  # the TSA and OCSP answer from another process, as real ones do
        ours(tok, pki, files[:2], base / "warm", "B-B")  # font cache, imports
        base_t = baseline(tok, pki, files)
        raw = base_t["raw"]
        measured = {lvl: ours(tok, pki, files, base / lvl, lvl) for lvl in ("B-B", "B-T", "B-LT")}
        print(f"load: {os.getloadavg()[0]:.2f} (1-min avg), {os.cpu_count()} cores, {args.docs} one-page PDFs")
        print(f"raw PKCS#11 sign: {raw * 1000:.1f} ms")
        print("level  bare pyHanko  raw+bare   motcua batch  ratio")
        for lvl, v in measured.items():
            ref = raw + base_t[lvl]
            print(f"{lvl:<5}  {base_t[lvl] * 1000:9.1f} ms {ref * 1000:7.1f} ms {v * 1000:9.1f} ms  {v / ref:5.2f}")
        ok = measured["B-B"] / (raw + base_t["B-B"]) <= 1.5
        print(f"target B-B <= 1.5x: {'met' if ok else 'NOT met'}")
        pki.close()
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
