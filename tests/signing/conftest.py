"""Real components for the signing tests: a SoftHSM2 token, a loopback TSA/OCSP/CRL, pdfsig.

SoftHSM2 reads its configuration when the module is initialized, once per process;
``hsm`` re-points this process at the test token (re-initializing the module) whenever
another test moved it elsewhere (the demo token does). CLI tests run in subprocesses
with ``SOFTHSM2_CONF`` in their environment.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.cli import motcua as run_motcua
from tests.signing.hsm import HsmToken, make_token
from tests.signing.pki import TestPKI


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestPKI]:
    p = TestPKI(tmp_path_factory.mktemp("pki"))
    yield p
    p.close()


@pytest.fixture(scope="session")
def _hsm_token(tmp_path_factory: pytest.TempPathFactory, pki: TestPKI) -> HsmToken:
    return make_token(tmp_path_factory.mktemp("hsm"), pki)


@pytest.fixture
def hsm(_hsm_token: HsmToken) -> HsmToken:
    if os.environ.get("SOFTHSM2_CONF") != str(_hsm_token.conf):
        _hsm_token.activate()
    return _hsm_token


@pytest.fixture
def make_pdf(tmp_path: Path) -> Callable[..., Path]:
    """One-page (or n-page) A4 PDFs with a line of Vietnamese-free text (reportlab core font)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    def make(name: str = "doc.pdf", pages: int = 1, text: str = "Giay khai sinh - ban so hoa") -> Path:
        path = tmp_path / name
        c = canvas.Canvas(str(path), pagesize=A4)
        for i in range(pages):
            c.drawString(72, 720, f"{text} - trang {i + 1}")
            c.showPage()
        c.save()
        return path

    return make


@pytest.fixture(scope="session")
def nssdb(tmp_path_factory: pytest.TempPathFactory, pki: TestPKI) -> Path:
    d = tmp_path_factory.mktemp("nss") / "db"
    d.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{d}", "--empty-password"], check=True, capture_output=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{d}", "-n", "test-ca", "-t", "CT,C,C", "-i", str(pki.ca_pem)],
                   check=True, capture_output=True)
    return d


@pytest.fixture
def pdfsig(nssdb: Path) -> Callable[[Path], list[dict[str, str]]]:
    """poppler's independent opinion, one dict per signature (pdfsig exits 0 even when invalid)."""

    def run(path: Path) -> list[dict[str, str]]:
        out = subprocess.run(["pdfsig", "-nssdir", f"sql:{nssdb}", str(path)], capture_output=True, text=True,
                             timeout=60).stdout
        sigs: list[dict[str, str]] = []
        for line in out.splitlines():
            if re.match(r"^Signature #\d+:", line):
                sigs.append({})
            elif sigs and (m := re.match(r"^\s+- ([^:]+): (.*)$", line)):
                sigs[-1][m.group(1).strip()] = m.group(2).strip()
            elif sigs and line.strip().startswith("- ") and "document signed" in line:
                sigs[-1]["coverage"] = line.strip()[2:]
        return sigs

    return run


def motcua(env: dict[str, str], data: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_motcua(data, *args, stdin=stdin, env=env)
