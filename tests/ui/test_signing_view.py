"""The Signing screen on a real SoftHSM2 token: one PIN for the batch, the key chosen by
CKA_ID, progress, Cancel, a card pulled mid-batch (monitor event), wrong PIN, and the
reasons "Sign" is refused."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.auth import Actor, Role
from signing.readers import CARD_INSERTED, CARD_REMOVED, READER_ADDED, ReaderEvent
from tests.ui.signing_token import KeySpec, UiToken, make_ui_token
from ui.signing_view import SigningView, output_for, reader_matches
from ui.token_monitor import TokenMonitor
from ui.workers import Workers

# The PIN dialog is really opened (dlg.open()); the offscreen platform says it cannot pass
# size hints to a window system it does not have. Every other Qt warning still fails.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")

OFFICER = Actor("lan", Role.COUNTER_OFFICER, full_name="Trần Thị Lan")
POSTAL = Actor("buudien", Role.POSTAL_AGENT, full_name="Nhân viên Bưu điện")
READER = "Virtual PCD 00 00"


class IdleWatcher:
    running = False

    def start(self) -> None:
        self.running = True

    def stop(self, timeout: float = 5.0) -> bool:
        self.running = False
        return True


@pytest.fixture(scope="module")
def _token(tmp_path_factory: pytest.TempPathFactory) -> UiToken:
    return make_ui_token(tmp_path_factory.mktemp("ui-sign"), [
        KeySpec("0a", "UBND phường Quy Nhơn Đông (THỬ NGHIỆM)", 500),
        KeySpec("0b", "Trần Thị Lan", 300),
        KeySpec("0c", "Chứng thư hết hạn", -10),
        KeySpec("0d", "Chỉ mã hóa", 300, signing=False),
    ], label="UI-SIGN")


@pytest.fixture
def token(_token: UiToken, workers: Workers) -> Iterator[UiToken]:
    previous = os.environ.get("SOFTHSM2_CONF")
    _token.activate()
    yield _token
    workers.shutdown(10_000)  # nothing may use the module while it is re-pointed
    if previous and previous != str(_token.conf):
        os.environ["SOFTHSM2_CONF"] = previous
        from signing.tokens import load_module

        load_module(_token.module).reinitialize()


@pytest.fixture
def monitor() -> Iterator[TokenMonitor]:
    m = TokenMonitor(watcher=IdleWatcher())
    yield m
    m.stop()


@pytest.fixture
def make_pdfs(tmp_path: Path) -> Callable[[int], list[Path]]:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    def make(n: int) -> list[Path]:
        folder = tmp_path / "in"
        folder.mkdir(exist_ok=True)
        out = []
        for i in range(n):
            p = folder / f"giay-to-{i:02d}.pdf"
            c = canvas.Canvas(str(p), pagesize=A4)
            c.drawString(72, 720, f"Giay to so {i}")
            c.showPage()
            c.save()
            out.append(p)
        return out

    return make


@pytest.fixture
def view(workers, qtbot, ctx, token: UiToken, monitor: TokenMonitor) -> SigningView:  # type: ignore[no-untyped-def]
    ctx.settings.pkcs11_module = token.module
    v = SigningView(ctx, OFFICER, monitor=monitor, workers=workers)
    qtbot.addWidget(v)
    qtbot.waitUntil(lambda: v._tokens_task is None and v.token_combo.count() > 0, timeout=15_000)
    return v


def choose_key(v: SigningView, key_id: str) -> None:
    i = v.key_combo.findData(key_id)
    assert i >= 0, [v.key_combo.itemData(j) for j in range(v.key_combo.count())]
    v.key_combo.setCurrentIndex(i)


def enter_pin(qtbot, v: SigningView, pin: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(v.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: v.pin_dialog is not None, timeout=10_000)
    dlg = v.pin_dialog
    assert dlg is not None
    qtbot.keyClicks(dlg.pin_edit, pin)
    dlg.accept()


def signatures(path: Path) -> list[Any]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    with path.open("rb") as f:
        return list(PdfFileReader(f).embedded_signatures)


def signer_cn(sig: Any) -> str:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    cert = x509.load_der_x509_certificate(sig.signer_cert.dump())
    return str(cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value)


def test_lists_keys_by_cka_id(view: SigningView) -> None:
    ids = [view.key_combo.itemData(i) for i in range(view.key_combo.count())]
    assert ids == ["0a", "0b", "0c", "0d"]
    assert "UI-SIGN" in view.token_combo.currentText()


def test_sign_a_batch_with_one_pin_and_the_chosen_key(qtbot, view: SigningView, token: UiToken,  # type: ignore[no-untyped-def]
                                                      make_pdfs) -> None:
    pdfs = make_pdfs(3)
    view.add_files(pdfs)
    view.add_files(pdfs[:1])  # the same file twice is one job
    assert view.files.count() == 3
    choose_key(view, "0b")
    assert view.sign_button.isEnabled(), view.blocking_reason()
    enter_pin(qtbot, view, token.pin)
    qtbot.waitUntil(lambda: view.last_result is not None and not view.signing, timeout=120_000)
    res = view.last_result
    assert res.ok and len(res.signed) == 3
    for p in pdfs:
        out = output_for(p, None)
        assert out.name == p.stem + "_signed.pdf"
        sigs = signatures(out)
        assert len(sigs) == 1
        assert signer_cn(sigs[0]) == "Trần Thị Lan"  # the key chosen by CKA_ID 0b, not the first one
    assert view.results.rowCount() == 3
    assert view.files.count() == 0  # signed files leave the queue
    assert "3" in view.message.text()
    assert not view.progress.isVisibleTo(view)
    assert view.pin_dialog is None


def test_each_signed_file_is_verified_and_said_so(qtbot, ctx, view: SigningView, token: UiToken,  # type: ignore[no-untyped-def]
                                                   make_pdfs) -> None:
    """Before, the screen signed with ``sign_batch`` and called every signed file "Signed",
    verified or not, with no audit record."""
    from sqlalchemy import func, select

    from desktop.db.models import AuditEvent

    def sign(n: int) -> Any:
        view.add_files(make_pdfs(n))
        choose_key(view, "0b")
        enter_pin(qtbot, view, token.pin)
        qtbot.waitUntil(lambda: view.last_result is not None and not view.signing, timeout=120_000)
        return view.last_result

    ctx.settings.extra.setdefault("signing", {})["trust"] = [str(token.ca_pem)]
    res = sign(2)
    assert res.ok and [r.verified for r in res.results] == [True, True]
    assert view.results.item(0, 1).text() == "Signed and verified"
    assert "verified" in view.message.text()
    with ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)
                        .where(AuditEvent.action == "file.sign_loose")) == 2
    # no trusted root configured: the signature is made but cannot be verified, and the screen says so
    ctx.settings.extra["signing"]["trust"] = []
    view.last_result = None
    res = sign(1)
    assert res.ok and res.results[0].verified is False
    assert view.results.item(0, 1).text() == "Signed, does NOT verify"
    assert "do not verify" in view.message.text()


def test_signed_copies_go_to_the_chosen_folder(qtbot, view: SigningView, token: UiToken, make_pdfs,  # type: ignore[no-untyped-def]
                                               tmp_path: Path) -> None:
    pdfs = make_pdfs(1)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    view.output_edit.setText(str(out_dir))
    view.add_files(pdfs)
    choose_key(view, "0a")
    enter_pin(qtbot, view, token.pin)
    qtbot.waitUntil(lambda: view.last_result is not None and not view.signing, timeout=60_000)
    assert view.last_result.ok
    assert len(signatures(out_dir / "giay-to-00_signed.pdf")) == 1
    assert not (pdfs[0].parent / "giay-to-00_signed.pdf").exists()


def test_token_pulled_mid_batch_stops_cleanly(qtbot, view: SigningView, monitor: TokenMonitor, token: UiToken,  # type: ignore[no-untyped-def]
                                              make_pdfs) -> None:
    pdfs = make_pdfs(12)
    view.add_files(pdfs)
    choose_key(view, "0a")
    monitor.post(ReaderEvent(READER_ADDED, READER))
    monitor.post(ReaderEvent(CARD_INSERTED, READER, b"\x3b\x00"))
    pulled = threading.Event()

    def on_progress(done: int, total: int, message: str) -> None:
        if done >= 1 and not pulled.is_set():
            pulled.set()
            # as the watcher thread does when the card leaves the reader
            threading.Thread(target=monitor.post, args=(ReaderEvent(CARD_REMOVED, READER),)).start()

    enter_pin(qtbot, view, token.pin)
    qtbot.waitUntil(lambda: view._batch_task is not None, timeout=10_000)
    view._batch_task.progress.connect(on_progress)
    qtbot.waitUntil(lambda: view.last_result is not None and not view.signing, timeout=120_000)
    res = view.last_result
    assert pulled.is_set()
    assert res.cancelled
    assert view.stopped_by_reader == READER
    assert 1 <= len(res.signed) < 12 and len(res.unsigned) >= 1
    assert len(res.signed) + len(res.unsigned) == 12
    for r in res.signed:
        assert len(signatures(Path(r.output))) == 1
    for r in res.unsigned:
        assert not Path(r.output).exists(), "no partial file for an unsigned document"
        assert Path(r.input).name in view.message.text()
    assert "removed" in view.message.text()
    # the unsigned files stay queued for the next batch
    assert sorted(p.name for p in view.file_paths()) == sorted(Path(r.input).name for r in res.unsigned)


def test_a_card_pulled_from_another_reader_does_not_stop_a_token_in_a_known_reader(  # type: ignore[no-untyped-def]
        qtbot, view: SigningView, monitor: TokenMonitor, token: UiToken, make_pdfs) -> None:
    assert reader_matches("Gemalto USB Shell Token V2 (1A2B) 00 00", "Gemalto USB Shell Token V2 (1A2B) 00 00")
    assert not reader_matches("Virtual PCD 00 00", "Virtual PCD 00 01") and not reader_matches("", READER)
    other = "Virtual PCD 00 01"
    for r in (READER, other):
        monitor.post(ReaderEvent(READER_ADDED, r))
        monitor.post(ReaderEvent(CARD_INSERTED, r, b"\x3b\x00"))
    # every event dispatched (both cards in), so the re-reads they start have started
    qtbot.waitUntil(lambda: set(monitor.readers) == {READER, other} and all(monitor.readers.values()), timeout=5000)
    # each card inserted reads the tokens again: the slot's reader is set on the token the batch
    # will use, not on one a late re-read replaces (under load it was, and the batch stopped)
    qtbot.waitUntil(lambda: not view.reading_tokens, timeout=30_000)
    view.add_files(make_pdfs(6))
    choose_key(view, "0a")
    view.selected_token().slot_description = READER  # the slot names its PC/SC reader, as vendors' modules do
    pulled = threading.Event()

    def on_progress(done: int) -> None:
        if done >= 1 and not pulled.is_set():
            pulled.set()  # somebody pulls their ID card from the other reader mid-batch
            threading.Thread(target=monitor.post, args=(ReaderEvent(CARD_REMOVED, other),)).start()

    # connected before the batch starts: connected to the task after it started, a fast batch
    # had sent its progress already and the card was never pulled (the test failed by order)
    view.progress.valueChanged.connect(on_progress)
    enter_pin(qtbot, view, token.pin)
    qtbot.waitUntil(lambda: view.last_result is not None and not view.signing, timeout=120_000)
    res = view.last_result
    assert pulled.is_set() and not res.cancelled and not view.stopped_by_reader
    assert len(res.signed) == 6 and not res.unsigned


def test_cancel_button(qtbot, view: SigningView, token: UiToken, make_pdfs) -> None:  # type: ignore[no-untyped-def]
    view.add_files(make_pdfs(12))
    choose_key(view, "0a")
    view.progress.valueChanged.connect(lambda done: view.cancel_button.click() if done >= 1 else None)
    enter_pin(qtbot, view, token.pin)
    qtbot.waitUntil(lambda: view.last_result is not None and not view.signing, timeout=120_000)
    res = view.last_result
    assert res.cancelled and len(res.unsigned) >= 1 and len(res.signed) >= 1
    assert "Cancelled" in view.message.text()


def test_wrong_pin_signs_nothing(qtbot, view: SigningView, make_pdfs) -> None:  # type: ignore[no-untyped-def]
    pdfs = make_pdfs(2)
    view.add_files(pdfs)
    choose_key(view, "0a")
    enter_pin(qtbot, view, "000000")
    qtbot.waitUntil(lambda: not view.signing and view._batch_task is None and "PIN" in view.message.text(),
                    timeout=60_000)
    assert view.last_result is None
    assert "Sai mã PIN" in view.message.text() or "Wrong token PIN" in view.message.text()
    assert not any(output_for(p, None).exists() for p in pdfs)
    assert view.files.count() == 2
    # one failure was counted locally: the next PIN dialog says so
    qtbot.waitUntil(lambda: view.sign_button.isEnabled(), timeout=10_000)
    qtbot.mouseClick(view.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.pin_dialog is not None, timeout=10_000)
    dlg = view.pin_dialog
    assert dlg is not None
    assert dlg.tries_label.text() == "2"
    assert not dlg.warning_label.isHidden()
    dlg.reject()
    assert view.pin_dialog is None
    assert "no PIN" in view.message.text()


def test_reasons_sign_is_refused(qtbot, view: SigningView, make_pdfs, ctx) -> None:  # type: ignore[no-untyped-def]
    assert not view.sign_button.isEnabled()
    assert "Add the PDF" in view.blocking_reason()
    view.add_files(make_pdfs(1))
    choose_key(view, "0a")
    assert view.blocking_reason() == ""
    choose_key(view, "0c")
    assert "expired" in view.blocking_reason() and not view.sign_button.isEnabled()
    choose_key(view, "0d")
    assert "not for signing" in view.blocking_reason()
    choose_key(view, "0a")
    view.level_combo.setCurrentIndex(view.level_combo.findData("B-T"))
    assert "time-stamp" in view.blocking_reason()
    view.tsa_edit.setText("http://127.0.0.1:9/tsa")
    assert view.blocking_reason() == ""
    # clicking anyway does nothing but say why
    view.level_combo.setCurrentIndex(view.level_combo.findData("B-LT"))
    view.tsa_edit.setText("")
    view.start_signing()
    assert view._state_task is None and "time-stamp" in view.message.text()


def test_postal_agent_may_not_use_the_organization_profiles(workers, qtbot, ctx, token: UiToken, monitor: TokenMonitor,  # type: ignore[no-untyped-def]
                                                            make_pdfs) -> None:
    ctx.settings.pkcs11_module = token.module
    v = SigningView(ctx, POSTAL, monitor=monitor, workers=workers)
    qtbot.addWidget(v)
    qtbot.waitUntil(lambda: v._tokens_task is None and v.token_combo.count() > 0, timeout=15_000)
    v.add_files(make_pdfs(1))
    v.profile_combo.setCurrentIndex(v.profile_combo.findData("copy"))
    assert "role" in v.blocking_reason()
    v.profile_combo.setCurrentIndex(v.profile_combo.findData("personal"))
    choose_key(v, "0b")
    assert v.blocking_reason() == ""


def test_no_module_configured(workers, qtbot, ctx, monitor: TokenMonitor, make_pdfs) -> None:  # type: ignore[no-untyped-def]
    ctx.settings.pkcs11_module = ""
    v = SigningView(ctx, OFFICER, monitor=monitor, workers=workers)
    qtbot.addWidget(v)
    v.add_files(make_pdfs(1))
    assert "PKCS#11" in v.blocking_reason()
    assert "PKCS#11" in v.token_note.text()
    assert v._tokens_task is None
