"""``assert_pdfa(path)``: the test helper every kind of PDF the application writes goes through.

An independent, offline validator (``page-validation``, a Rust PDF/A checker with Python
bindings; no Java, no network) checks PDF/A-2b conformance against the profile we claim,
not the one the file declares, so a file with no PDF/A identification at all fails too.
``qpdf --check`` (structure, xref, stream lengths) runs as well, as before.

    from tests.pdfa_check import assert_pdfa
    assert_pdfa(tmp_path / "receipt.pdf")
"""

from __future__ import annotations

import subprocess
from os import PathLike

import page


def pdfa_failures(path: str | PathLike[str], profile: str = "2b") -> list[str]:
    """The validator's and qpdf's complaints about ``path`` (empty when it is PDF/A)."""
    report = page.validate_pdf(path, profile=profile)
    problems = [f"[{f.rule_id}] {f.message}" for f in report.failures]
    qpdf = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, timeout=120)
    # qpdf exits 3 for warnings only (e.g. a recoverable xref issue): that is not PDF/A either
    if qpdf.returncode != 0:
        problems.append(f"[qpdf --check {qpdf.returncode}] {(qpdf.stderr or qpdf.stdout).strip()[:400]}")
    return problems


def assert_pdfa(path: str | PathLike[str], profile: str = "2b") -> None:
    """Fail the test unless ``path`` is PDF/A-``profile`` (default 2b) for the validator and qpdf."""
    problems = pdfa_failures(path, profile)
    assert not problems, f"{path} is not PDF/A-{profile}:\n" + "\n".join(problems)
