"""Every UI string has a Vietnamese translation, and the compiled .qm files are current."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
BIN = Path(sys.executable).parent


def _messages(ts: Path) -> list[tuple[str, str, ET.Element]]:
    out = []
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for m in ctx.iter("message"):
            out.append((name, m.findtext("source") or "", m))
    return out


def _translated(m: ET.Element) -> bool:
    tr = m.find("translation")
    if tr is None or tr.get("type") in {"unfinished", "vanished", "obsolete"}:
        return tr is not None and tr.get("type") in {"vanished", "obsolete"}
    forms = [n.text for n in tr.findall("numerusform")]
    return all(forms) if forms else bool(tr.text)


def test_every_ui_string_is_translated_to_vietnamese(tmp_path: Path) -> None:
    sources = sorted(str(p) for p in (ROOT / "ui").rglob("*.py"))
    scratch = tmp_path / "all_vi.ts"
    subprocess.run([str(BIN / "pyside6-lupdate"), *sources, "-ts", str(scratch)], check=True, capture_output=True,
                   timeout=300)
    have = {(c, s) for ts in I18N.glob("*_vi.ts") for c, s, m in _messages(ts) if _translated(m)}
    missing = sorted({f"{c}: {s!r}" for c, s, _ in _messages(scratch) if (c, s) not in have})
    assert not missing, "UI strings without a Vietnamese translation:\n" + "\n".join(missing)


def test_qm_files_are_compiled_from_current_ts(tmp_path: Path) -> None:
    for ts in I18N.glob("*_vi.ts"):
        qm = ts.with_suffix(".qm")
        assert qm.exists(), f"{qm.name} missing: run pyside6-lrelease {ts}"
        fresh = tmp_path / qm.name
        subprocess.run([str(BIN / "pyside6-lrelease"), str(ts), "-qm", str(fresh)], check=True,
                       capture_output=True, timeout=120)
        assert fresh.read_bytes() == qm.read_bytes(), f"{qm.name} is stale: run pyside6-lrelease {ts}"
        unfinished = [s for _, s, m in _messages(ts) if m.find("translation") is not None
                      and m.find("translation").get("type") == "unfinished"]
        assert not unfinished, f"{ts.name}: unfinished translations {unfinished[:5]}"
