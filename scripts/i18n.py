"""Keep the Vietnamese translations current: ``update`` runs lupdate for each .ts over the
sources it covers, ``fill [FILE.json]`` writes translations ({"Context": {"source": "bản dịch"}}, and those
another .ts file already has) into the unfinished entries, ``release`` compiles the .qm files; ``todo`` lists what is left.

A new UI module joins the .ts file named in SOURCES (default: main_vi.ts).
    .venv/bin/python scripts/i18n.py update && .venv/bin/python scripts/i18n.py todo
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
BIN = Path(sys.executable).parent
#: which .ts file holds the strings of which ui modules (the rest go to main_vi.ts)
SOURCES = {
    "dossiers_vi.ts": ["ui/dossiers/actions.py", "ui/dossiers/area.py", "ui/dossiers/list_model.py",
                       "ui/dossiers/list_view.py", "ui/dossiers/page_view.py", "ui/dossiers/feeder_view.py"],
    "queue_vi.ts": ["ui/queue/overview.py"],
    "scanning_vi.ts": ["ui/scan_view.py"],
    "signing_vi.ts": ["ui/pin_dialog.py", "ui/signing_view.py", "ui/token_status.py"],
}


def _sources() -> dict[str, list[str]]:
    """Each .ts file keeps the modules it already holds (its <location> tags) plus SOURCES;
    a module in none of them joins main_vi.ts."""
    import re

    held: dict[str, set[str]] = {}
    for ts in I18N.glob("*_vi.ts"):
        locs = set(re.findall(r'filename="\.\./\.\./([^"]+)"', ts.read_text(encoding="utf-8")))
        held[ts.name] = {f for f in locs if (ROOT / f).is_file()} | set(SOURCES.get(ts.name, []))
    taken = {f for files in held.values() for f in files}
    rest = {str(p.relative_to(ROOT)) for p in (ROOT / "ui").rglob("*.py")} - taken
    held["main_vi.ts"] = held.get("main_vi.ts", set()) | rest
    return {ts: sorted(files) for ts, files in held.items()}


def update() -> None:
    for ts, files in _sources().items():
        if files:
            subprocess.run([str(BIN / "pyside6-lupdate"), *files, "-ts", str(I18N / ts)], cwd=ROOT, check=True,
                           capture_output=True)


def _unfinished(root: ET.Element) -> list[tuple[str, ET.Element]]:
    return [(ctx.findtext("name") or "", m) for ctx in root.iter("context") for m in ctx.iter("message")
            if (t := m.find("translation")) is not None and t.get("type") == "unfinished"]


def todo() -> int:
    left = {ts.name: [f"{c}: {m.findtext('source')!r}" for c, m in _unfinished(ET.parse(ts).getroot())]
            for ts in sorted(I18N.glob("*_vi.ts"))}
    print(json.dumps({k: v for k, v in left.items() if v}, ensure_ascii=False, indent=1))
    return 1 if any(left.values()) else 0


def known() -> dict[str, dict[str, str]]:
    """Every finished translation in any .ts file, by context and source."""
    table: dict[str, dict[str, str]] = {}
    for ts in I18N.glob("*_vi.ts"):
        for ctx in ET.parse(ts).getroot().iter("context"):
            name = ctx.findtext("name") or ""
            for m in ctx.iter("message"):
                t = m.find("translation")
                if t is None or t.get("type") is not None:
                    continue
                text = t.findtext("numerusform") if m.get("numerus") == "yes" else t.text
                if text and text.strip():
                    table.setdefault(name, {})[m.findtext("source") or ""] = text
    return table


def fill(path: Path | None) -> None:
    """Translations from ``path`` (JSON), else those another .ts file already has."""
    table = known()
    if path is not None:
        for c, entries in json.loads(path.read_text(encoding="utf-8")).items():
            table.setdefault(c, {}).update(entries)
    for ts in I18N.glob("*_vi.ts"):
        tree = ET.parse(ts)
        changed = False
        for ctx_name, m in _unfinished(tree.getroot()):
            vi = table.get(ctx_name, {}).get(m.findtext("source") or "")
            if vi:
                t = m.find("translation")
                assert t is not None
                forms = t.findall("numerusform")
                if m.get("numerus") == "yes" and forms:
                    for f in forms:  # Vietnamese has one plural form: the same text in each
                        f.text = vi
                else:
                    t.text = vi
                del t.attrib["type"]
                changed = True
        if changed:
            tree.write(ts, encoding="utf-8", xml_declaration=True)


def release() -> None:
    for ts in I18N.glob("*_vi.ts"):
        subprocess.run([str(BIN / "pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True,
                       capture_output=True)


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "todo"
    if cmd == "update":
        update()
    elif cmd == "fill":
        fill(Path(sys.argv[2]) if len(sys.argv) > 2 else None)
    elif cmd == "release":
        release()
    else:
        raise SystemExit(todo())
