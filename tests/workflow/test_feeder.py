"""The whole-dossier feeder pass at the counter, without Qt: the centre's learned titles are
kept in the database (and survive a restart), an officer's correction is recorded, audited
and sorts the next dossier's page by itself; a split with a page left unassigned cannot be
confirmed; confirming digitizes each slot through the counter's one digitize path."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import select

from desktop.auth import Actor
from desktop.config import Settings, load_settings
from desktop.context import AppContext
from desktop.db.models import AuditEvent, DigitizedFile, LearnedTitle, Role
from desktop.kernel.errors import InvalidInput
from desktop.workflow.feeder import Assignment, Feeder, SlotsFilled
from scanning.images import Page
from scanning.separators import ComponentRef
from scanning.split import Method

ADMIN = Actor.cli()
PROC = "1.001193"  # Đăng ký khai sinh: TK, GCS, GTTT, UQ "Văn bản ủy quyền (nếu đăng ký thay)"
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
TEXTS = [
    MOTTO + "TỜ KHAI ĐĂNG KÝ KHAI SINH\nHọ, chữ đệm, tên người yêu cầu: Trần Văn Đức",
    "Nơi cư trú: số 12 đường Lê Lợi, phường Quy Nhơn\nTôi cam đoan những nội dung khai trên đây là đúng sự thật",
    # the printed title is not the component's name: nothing in the rules finds it
    MOTTO + "GIẤY ỦY QUYỀN\nTôi tên là Lê Thị Ngọc Hương, ủy quyền cho ông Trần Văn Đức",
    MOTTO + "GIẤY CHỨNG SINH\nHọ tên mẹ: Lê Thị Ngọc Hương",
]


def _officer(ctx: AppContext) -> Actor:
    ctx.auth.create_officer(ADMIN, username="lan", full_name="Trần Thị Lan", role=Role.COUNTER_OFFICER,
                            password="mat-khau-dai-1")
    return next(a for a in ctx.auth.officers() if a.username == "lan")


def _components(ctx: AppContext) -> list[ComponentRef]:
    return [ComponentRef(s.code, s.name) for s in ctx.counter.slot_specs(PROC)]


def _blank(n: int) -> list[np.ndarray]:
    # no separator on these pages, so only the texts decide
    return [np.full((300, 210), 255, np.uint8) for _ in range(n)]


def _split(ctx: AppContext, texts: list[str]) -> Assignment:
    return Feeder(ctx.counter).split(PROC, _components(ctx), _blank(len(texts)), read_text=lambda i: texts[i])


def test_a_correction_is_kept_in_the_database_and_sorts_the_next_dossier(settings: Settings) -> None:
    ctx = AppContext(settings)
    try:
        officer = _officer(ctx)
        d = ctx.counter.receive(officer, procedure_code=PROC, applicant_name="Trần Văn Đức")
        a = _split(ctx, TEXTS)
        assert [p.component for p in a.pages] == ["TK", "TK", None, "GCS"]
        assert a.pages[1].proposal.method is Method.CLASSIFIER and "trang tiếp theo" in a.pages[1].proposal.reason
        a.move(2, "UQ")
        learned = Feeder(ctx.counter).learn(officer, d.code, a.corrections(), a.names)
        assert learned == 1
        with ctx.db.session() as s:
            rows = s.execute(select(LearnedTitle.component, LearnedTitle.title, LearnedTitle.count,
                                    LearnedTitle.updated_by)).all()
            assert rows == [("van ban uy quyen neu dang ky thay", "giay uy quyen", 1, "lan")]
            ev = s.scalar(select(AuditEvent).where(AuditEvent.action == "feeder.learn"))
            assert ev is not None and ev.actor == "lan" and ev.entity_id == d.code
            assert ev.data["corrections"] == [{"page": 3, "title": "giay uy quyen", "from": None, "to": "UQ"}]
    finally:
        ctx.close()
    # another start of the application (or another workstation): read back from the database
    ctx = AppContext(load_settings(settings.data_dir))
    try:
        feeder = Feeder(ctx.counter)
        assert feeder.learned().entries == {("van ban uy quyen neu dang ky thay", "giay uy quyen"): 1}
        nxt = _split(ctx, [TEXTS[3], TEXTS[2]])
        assert [p.component for p in nxt.pages] == ["GCS", "UQ"]
        assert "đã xác nhận tại trung tâm" in nxt.pages[1].proposal.reason
        assert nxt.corrections() == []
    finally:
        ctx.close()


def test_a_moved_continuation_page_teaches_nothing(ctx: AppContext) -> None:
    officer = _officer(ctx)
    d = ctx.counter.receive(officer, procedure_code=PROC, applicant_name="Trần Văn Đức")
    a = _split(ctx, TEXTS)
    a.move(1, "GCS")  # a page without a title of its own: no title to learn
    assert a.corrections() == []
    assert Feeder(ctx.counter).learn(officer, d.code, a.corrections(), a.names) == 0
    with ctx.db.session() as s:
        assert s.scalar(select(LearnedTitle)) is None
    with pytest.raises(InvalidInput):
        a.move(1, "NOPE")


def test_an_unassigned_page_blocks_the_confirmation(ctx: AppContext) -> None:
    officer = _officer(ctx)
    d = ctx.counter.receive(officer, procedure_code=PROC, applicant_name="Trần Văn Đức")
    a = _split(ctx, TEXTS)
    pages = [Page(img, 150.0, f"p{i}") for i, img in enumerate(_blank(len(TEXTS)))]
    with pytest.raises(InvalidInput) as err:
        Feeder(ctx.counter).confirm(officer, d.code, a, pages)
    assert "trang 3" in str(err.value)
    assert ctx.dossiers.files(d.code) == []
    a.leave_out(2)  # a stray sheet: out of the dossier, so the rest can be confirmed
    assert a.unassigned() == [] and a.slots() == {"TK": [0, 1], "GCS": [3]}


def test_confirm_digitizes_each_slot_through_the_counter(ctx: AppContext) -> None:
    from tests.scanning.dossiers import render_page

    officer = _officer(ctx)
    d = ctx.counter.receive(officer, procedure_code=PROC, applicant_name="Trần Văn Đức")
    font = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
    images = [render_page(("TỜ KHAI ĐĂNG KÝ KHAI SINH",), ["Họ, chữ đệm, tên: Trần Văn Đức"], 150, font, True),
              render_page(None, ["Nơi cư trú: số 12 đường Lê Lợi"], 150, font, False),
              render_page(("GIẤY ỦY QUYỀN",), ["Tôi tên là Lê Thị Ngọc Hương"], 150, font, True)]
    feeder = Feeder(ctx.counter)
    a = feeder.split(PROC, _components(ctx), images, dpi=[150.0] * 3)  # real OCR of the page tops
    assert [p.component for p in a.pages] == ["TK", "TK", None]
    a.move(2, "UQ")
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int, _message: str = "") -> None:
        seen.append((done, total))

    out = feeder.confirm(officer, d.code, a, [Page(img, 150.0, f"p{i}") for i, img in enumerate(images)],
                         progress=progress)
    assert out.pages() == {"TK": 2, "UQ": 1} and out.learned == 1
    assert seen and all(total == 3 for _d, total in seen)
    with ctx.db.session() as s:
        files = s.execute(select(DigitizedFile.kind, DigitizedFile.pages).order_by(DigitizedFile.id)).all()
        assert [f[1] for f in files] == [2, 1]
        ev = s.scalar(select(AuditEvent).where(AuditEvent.action == "feeder.confirm"))
        assert ev is not None and ev.data["slots"] == {"TK": 2, "UQ": 1} and ev.data["moved"] == 1
    assert {f.component_code: f.pages for f in ctx.dossiers.files(d.code)} == {"TK": 2, "UQ": 1}


def test_a_page_moved_out_of_a_separators_slot_is_read_and_learned(ctx: AppContext, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The officer forgot the UQ separator: the power of attorney lands after TK's separator,
    is moved to UQ, and its title is read then (not before) and learned for the next pass."""
    import subprocess

    import cv2

    from scanning.separators import render_separators
    from tests.scanning.dossiers import render_page

    officer = _officer(ctx)
    d = ctx.counter.receive(officer, procedure_code=PROC, applicant_name="Trần Văn Đức")
    comps = _components(ctx)
    pdf = render_separators(PROC, "Đăng ký khai sinh", comps[:1], tmp_path / "sep.pdf")
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", str(pdf), str(tmp_path / "s")], check=True)
    sep = cv2.imread(str(next(tmp_path.glob("s-*.png"))), cv2.IMREAD_GRAYSCALE)
    font = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
    images = [sep, render_page(("TỜ KHAI ĐĂNG KÝ KHAI SINH",), ["Họ, chữ đệm, tên: Trần Văn Đức"], 150, font, True),
              render_page(("GIẤY ỦY QUYỀN",), ["Tôi tên là Lê Thị Ngọc Hương"], 150, font, True)]
    read: list[int] = []
    feeder = Feeder(ctx.counter)
    a = feeder.split(PROC, comps, images, dpi=[150.0] * 3, read_text=lambda i: read.append(i) or "")
    assert read == [] and [p.component for p in a.pages] == ["TK", "TK"]  # the separator decided: no OCR
    a.move(2, "UQ")
    out = feeder.confirm(officer, d.code, a, [Page(img, 150.0, f"p{i}") for i, img in enumerate(images)])
    assert out.pages() == {"TK": 1, "UQ": 1} and out.learned == 1
    assert feeder.learned().entries == {("van ban uy quyen neu dang ky thay", "giay uy quyen"): 1}


def test_a_pass_into_a_slot_that_has_a_copy_asks_before_adding_another(ctx: AppContext, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Found in use: a second pass (a paper re-scanned, or the pass of another citizen's
    dossier) silently added a second copy to slots already digitized."""
    from PIL import Image

    officer = _officer(ctx)
    d = ctx.counter.receive(officer, procedure_code=PROC, applicant_name="Trần Văn Đức")
    img = np.full((600, 420), 255, np.uint8)
    img[100:110, 50:370] = 0
    first = tmp_path / "tk.png"
    Image.fromarray(img).save(first, dpi=(150, 150))
    ctx.counter.digitize_component(officer, d.code, "TK", files=[first])
    feeder = Feeder(ctx.counter)
    a = _split(ctx, TEXTS)
    a.leave_out(2)
    pages = [Page(img, 150.0, f"p{i}") for i in range(len(TEXTS))]
    assert feeder.filled(d.code, a) == ["TK"]
    with pytest.raises(SlotsFilled) as err:
        feeder.confirm(officer, d.code, a, pages)
    assert err.value.components == ["TK"] and "TK" in str(err.value) and "đã có bản số hóa" in str(err.value)
    assert [f.component_code for f in ctx.dossiers.files(d.code)] == ["TK"]  # nothing digitized, nothing learned
    out = feeder.confirm(officer, d.code, a, pages, add_to_filled=True)  # the officer said so
    assert out.pages() == {"TK": 2, "GCS": 1}
    assert sorted(f.component_code for f in ctx.dossiers.files(d.code)) == ["GCS", "TK", "TK"]


def test_corrections_kept_by_page_name_are_put_back_on_the_pass_sorted_again(ctx: AppContext) -> None:
    """The pass restored after a close or a crash is split again; the officer's moves and
    leave-outs come back on the same pages (by their spool names: a page missing from the
    spool shifts the indices), and a mark for a page or a component gone is ignored."""
    from scanning.spool import PageMark

    ids = ["000001.png", "000002.png", "000003.png", "000004.png"]
    feeder = Feeder(ctx.counter)
    a = feeder.split(PROC, _components(ctx), _blank(4), read_text=lambda i: TEXTS[i], ids=ids)
    a.move(2, "UQ")
    a.leave_out(3)
    a.move(1, "GCS")
    a.move(1, "TK")  # moved back where it was proposed: no longer a correction
    assert a.marks() == {"000003.png": PageMark("UQ"), "000004.png": PageMark("GCS", left_out=True)}
    assert a.revision == 4
    # restored without its first page (unreadable on disk): the same papers are now pages 0-2
    texts = TEXTS[1:]
    again = feeder.split(PROC, _components(ctx), _blank(3), read_text=lambda i: texts[i], ids=ids[1:])
    marks = dict(a.marks(), **{"000001.png": PageMark("GCS"), "000002.png": PageMark("NOPE")})
    assert again.restore(marks, a.revision) == 2
    # the continuation page lost its form's first page: unassigned, as proposed (its mark names a
    # component the dossier does not have)
    assert [(p.component, p.left_out) for p in again.pages] == [(None, False), ("UQ", False), ("GCS", True)]
    assert again.page(1).moved and again.revision == 4
    again.move(0, "GCS")
    assert again.revision == 5  # what is written next supersedes what was kept
    assert again.slots() == {"GCS": [0], "UQ": [1]}


def test_the_title_of_a_sheet_fed_askew_is_read(ctx: AppContext) -> None:
    """Found by bench/split_bench.py (full run): on a sheet fed some 4° askew the OCR of the
    page's top lost the title (the longest line, tilted across more than its own height) while
    it read the motto and the body, so the first page of a form was taken for a continuation
    of the document before it. The top is read with the page turned straight."""
    from scanning.cleanup import rotate
    from tests.scanning.conditions import FONTS
    from tests.scanning.dossiers import render_page

    font = FONTS[3]  # Liberation Sans
    body = ["Họ, chữ đệm, tên người yêu cầu: Trần Văn Đức", "Nơi cư trú: số 12 đường Lê Lợi, phường Quy Nhơn",
            "Tôi cam đoan những nội dung khai trên đây là đúng sự thật", "Số điện thoại liên hệ: 0912 345 864"]
    images = [rotate(render_page(("TỜ KHAI ĐĂNG KÝ KHAI SINH",), body, 200, font, True), -4.4),
              rotate(render_page(None, body, 200, font, False), -4.4),
              rotate(render_page(("GIẤY CHỨNG SINH",), body, 200, font, True), -4.4)]
    a = Feeder(ctx.counter).split(PROC, _components(ctx), images, dpi=[200.0] * 3)  # the application's OCR
    assert [p.component for p in a.pages] == ["TK", "TK", "GCS"], [p.proposal.reason for p in a.pages]
