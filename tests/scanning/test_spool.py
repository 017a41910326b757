"""The slot spool: pages on disk as they arrive, in the officer's order and turns; a page
written but not listed (killed in between) is kept; a half-written one is ignored."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from scanning.images import Page
from scanning.spool import PASS, PageSpool, pass_spool, slot_spool, unfinished


def _page(value: int, shape: tuple[int, int] = (40, 30)) -> Page:
    img = np.full(shape, value, dtype=np.uint8)
    img[0, 0] = 255 - value  # a marker that shows a turn
    return Page(img, 200.0, f"p{value}")


def test_pages_come_back_in_order_with_their_turns_and_deleted_ones_go(tmp_path: Path) -> None:
    spool = PageSpool(tmp_path / "s")
    names = [spool.save(_page(v)) for v in (10, 20, 30)]
    spool.arrange([(names[2], 0), (names[0], 90)])  # page 2 deleted, 3 moved first, 1 turned
    back = list(spool.load())
    assert [e.name for e, _ in back] == [names[2], names[0]]
    assert back[0][1].image.shape == (40, 30) and back[0][1].dpi == 200.0
    turned = back[1][1].image
    assert turned.shape == (30, 40) and turned[0, -1] == 245  # the top-left marker went top-right
    assert not (tmp_path / "s" / names[1]).exists()


def test_a_page_written_but_not_listed_is_kept_and_a_partial_one_ignored(tmp_path: Path) -> None:
    spool = PageSpool(tmp_path / "s")
    spool.save(_page(10))
    import cv2

    cv2.imwrite(str(tmp_path / "s" / "000002.png"), _page(20).image)  # killed before the list was written
    (tmp_path / "s" / ".000003.png.part").write_bytes(b"\x89PNG half")
    assert [e.name for e in spool.entries()] == ["000001.png", "000002.png"]
    assert len(list(spool.load())) == 2
    assert spool.save(_page(30)) == "000003.png"


def test_unfinished_slots_are_found_per_dossier_and_clear_removes_them(tmp_path: Path) -> None:
    a = slot_spool(tmp_path, "000.00.00.H00-261204-0002", "TK")
    b = slot_spool(tmp_path, "000.00.00.H00-261204-0003", "GCS")
    a.save(_page(1))
    a.save(_page(2))
    b.save(_page(3))
    assert unfinished(tmp_path) == [("000.00.00.H00-261204-0002", "TK", 2), ("000.00.00.H00-261204-0003", "GCS", 1)]
    assert unfinished(tmp_path, "000.00.00.H00-261204-0003") == [("000.00.00.H00-261204-0003", "GCS", 1)]
    a.clear()
    assert unfinished(tmp_path, "000.00.00.H00-261204-0002") == []


def test_a_feeder_pass_has_its_own_spool_beside_the_slots(tmp_path: Path) -> None:
    code = "000.00.00.H00-261204-0004"
    whole = pass_spool(tmp_path, code)
    for v in (1, 2, 3):
        whole.save(_page(v))
    slot_spool(tmp_path, code, "TK").save(_page(4))
    assert unfinished(tmp_path, code) == [(code, PASS, 3), (code, "TK", 1)]
    whole.clear()
    assert unfinished(tmp_path, code) == [(code, "TK", 1)]


def test_a_passs_corrections_are_kept_whole_and_only_for_that_pass(tmp_path: Path) -> None:
    from scanning.spool import SORTING, PageMark

    code = "000.00.00.H00-261204-0005"
    spool = pass_spool(tmp_path, code)
    assert spool.ident() == "" and not spool.keep_sorting("x", 1, {})  # no pass: nothing kept, no folder made
    assert not spool.folder.exists()
    names = [spool.save(_page(v)) for v in (1, 2, 3)]
    ident = spool.ident()
    assert ident and spool.ident() == ident
    marks = {names[1]: PageMark("XNHN"), names[2]: PageMark("GTTT", left_out=True)}
    assert spool.keep_sorting(ident, 2, marks)
    back = pass_spool(tmp_path, code).sorting()  # another dialog, or the next start of the application
    assert back is not None and back.revision == 2 and back.marks == marks
    # a write of older corrections finishing late does not undo the newer ones
    assert not spool.keep_sorting(ident, 1, {names[0]: PageMark(None)})
    assert spool.sorting() == back
    # a half-written temporary file (killed while writing) is not read
    (spool.folder / f".{SORTING}.part").write_bytes(b'{"revision": 9, "pag')
    assert spool.sorting() == back
    # a new pass replaces the last one: its corrections went with it, and a late write of them
    # (same page names again) does not land on the new pass
    spool.clear()
    assert not spool.keep_sorting(ident, 3, marks) and not spool.folder.exists()
    spool.save(_page(4))
    assert spool.ident() != ident
    assert not spool.keep_sorting(ident, 3, marks) and spool.sorting() is None


def test_corrections_written_are_there_after_the_writer_is_killed(tmp_path: Path) -> None:
    """A crash right after a correction keeps it: the write is complete when keep_sorting returns."""
    import subprocess
    import sys
    import textwrap

    from scanning.spool import PageMark

    code = "000.00.00.H00-261204-0006"
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        import numpy as np
        from scanning.images import Page
        from scanning.spool import PageMark, pass_spool
        spool = pass_spool(Path({str(tmp_path)!r}), {code!r})
        names = [spool.save(Page(np.full((20, 20), v, np.uint8), 200.0, "p")) for v in (1, 2)]
        assert spool.keep_sorting(spool.ident(), 1, {{names[1]: PageMark("TK")}})
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    run = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[2], timeout=60)
    assert run.returncode == -9
    kept = pass_spool(tmp_path, code).sorting()
    assert kept is not None and kept.marks == {"000002.png": PageMark("TK")}
    assert len(pass_spool(tmp_path, code)) == 2
