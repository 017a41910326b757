"""The dossier page after reception, on real widgets and a real SoftHSM2 token: a step that
produces a form issues it (02 for a supplement) and says where; the forms dialog prints one
or issues it sealed with the organization's signature (verified); the fee dialog records
the payment; the result is sealed and attached; the return dialog refuses an ID that does
not match without a letter and returns to the applicant; the postal steps come in order.

The dialogs' exec() are answered by the test (a modal loop cannot be driven offscreen);
everything behind them — the page's workers, the core's checks, the token — is real."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest.mock import patch

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.db.models import DossierStatus, Role
from desktop.lifecycle.machine import Action
from desktop.workflow.workspace import Returning
from signing.verify import verify_pdf
from tests.signing.conftest import _hsm_token, hsm, pki  # noqa: F401 - fixtures
from tests.signing.hsm import HsmToken
from tests.signing.pki import TestPKI
from ui.dossiers import dialogs
from ui.dossiers.area import DossiersArea
from ui.dossiers.page_view import DossierPageView

ID = "079301234567"
BIRTH = "1.001193"
FEE = "1.004859"  # a 15,000 VND fee collected before


def _open(qtbot, workers, ctx: AppContext, proc: str = BIRTH, **kw: Any) -> tuple[DossierPageView, str, Actor]:  # type: ignore[no-untyped-def]
    officer = ctx.auth.create_officer(Actor.cli(), username="lan", full_name="Trần Thị Lan",
                                      role=Role.COUNTER_OFFICER, password="mat-khau-dai")
    d = ctx.counter.receive(officer, procedure_code=proc, applicant_name="Phạm Thị Đào", applicant_id_number=ID, **kw)
    area = DossiersArea(ctx, officer, workers=workers)
    qtbot.addWidget(area)
    area.resize(1366, 700)
    area.show()
    area.open_dossier(d.code)
    page = area.page
    page.open_forms = False
    qtbot.waitUntil(lambda: page.page is not None, timeout=5000)
    return page, d.code, officer


def _idle(qtbot, page: DossierPageView, status: DossierStatus | None = None) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not page.busy() and page.page is not None
                    and (status is None or page.page.status == status), timeout=20_000)


def _use_token(ctx: AppContext, hsm: HsmToken, pki: TestPKI) -> None:  # noqa: F811
    ctx.settings.pkcs11_module = hsm.module
    ctx.settings.extra["signing"] = {"token_label": hsm.label, "key_id": "01", "trust": [str(pki.ca_pem)],
                                     "organization_cert": str(hsm.base / "cert-01.pem")}


def _answer(cls: type[QDialog], fill: Callable[[Any], None]) -> Any:
    """Answer ``cls``'s modal dialog: fill its fields, accept."""
    def exec_(self: Any) -> int:
        fill(self)
        return QDialog.DialogCode.Accepted.value

    return patch.object(cls, "exec", exec_)


def _tick_first_and(reason: str) -> Callable[[dialogs.SupplementDialog], None]:
    """Answer the supplement dialog: the first component ticked (form 02 names what to bring), ``reason``."""
    def answer(dlg: dialogs.SupplementDialog) -> None:
        dlg.list.item(0).setCheckState(Qt.CheckState.Checked)
        dlg.reason.setText(reason)
    return answer


def test_a_supplement_issues_form_02_and_the_history_shows_it(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    page, code, _officer = _open(qtbot, workers, ctx)
    with _answer(dialogs.SupplementDialog, _tick_first_and("Thiếu bản sao giấy chứng sinh")):
        page.lifecycle_actions.trigger(Action.SUPPLEMENT)
    qtbot.waitUntil(lambda: page.last_form is not None and not page.busy(), timeout=20_000)
    assert page.last_form is not None and page.last_form.is_file() and page.last_form.name.startswith("02-")
    assert "02" in page.message.text()
    from subprocess import run

    text = run(["pdftotext", str(page.last_form), "-"], capture_output=True, text=True, check=True).stdout
    assert "Thiếu bản sao giấy chứng sinh" in text
    page.refresh()
    qtbot.waitUntil(lambda: any(page.history.item(r, 2) is not None and "form issued" in page.history.item(r, 2).text()
                                for r in range(page.history.rowCount())), timeout=5000)


def test_the_forms_dialog_lists_what_applies_and_seals_a_form(workers, qtbot, ctx: AppContext, hsm: HsmToken,  # type: ignore[no-untyped-def]  # noqa: F811
                                                             pki: TestPKI) -> None:  # noqa: F811
    _use_token(ctx, hsm, pki)
    page, code, _officer = _open(qtbot, workers, ctx)
    seen: list[list[str]] = []

    def choose_06_sealed(dlg: Any) -> None:
        seen.append([dlg.list.item(i).data(0x0100) for i in range(dlg.list.count())])
        dlg.list.setCurrentRow(1)
        dlg.choice = dlg.SEAL
        assert dlg.seal_button.isEnabled()

    with _answer(dialogs.FormsDialog, choose_06_sealed), patch("ui.pin_dialog.ask_pin", return_value=(hsm.pin, False)):
        page.forms_button.click()
        qtbot.waitUntil(lambda: page.last_form is not None and not page.busy(), timeout=30_000)
    assert seen == [["01", "06"]]
    assert page.last_form is not None and page.last_form.name.startswith("06-")
    report = verify_pdf(page.last_form, [pki.ca_pem], expected_cert=hsm.base / "cert-01.pem")
    assert report.ok, report.problems
    assert "06" in page.message.text() and page.message.styleSheet() != "color: #b00020;"


def test_a_postal_agent_is_not_offered_the_seal(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    page, _code, _officer = _open(qtbot, workers, ctx)
    page.actor = ctx.auth.create_officer(Actor.cli(), username="bd", full_name="Bưu điện", role=Role.POSTAL_AGENT,
                                         password="mat-khau-dai")
    states: list[bool] = []

    def look(dlg: Any) -> None:
        states.append(dlg.seal_button.isEnabled())

    with _answer(dialogs.FormsDialog, look):
        page.show_forms()
        qtbot.waitUntil(lambda: page.last_form is not None and not page.busy(), timeout=20_000)
    assert states == [False]
    assert page.last_form is not None and page.last_form.name.startswith("01-")  # printed, not sealed


def test_the_fee_dialog_records_the_payment(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    page, code, _officer = _open(qtbot, workers, ctx, proc=FEE)
    assert page.page is not None and page.page.fees_due == 15000
    assert "15.000" in page.header.text()
    pay = page.lifecycle_actions.buttons[Action.FEE]
    assert pay.isVisible()

    def fill(dlg: Any) -> None:
        dlg.method.setCurrentIndex(dlg.method.findData("transfer"))
        dlg.receipt.setText("HD-0001234")

    with _answer(dialogs.FeeDialog, fill):
        pay.click()
        qtbot.waitUntil(lambda: page.page is not None and page.page.fees_due == 0 and not page.busy(), timeout=10_000)
    fee = ctx.lifecycle.record(code)["fees"][0]
    assert (fee["state"], fee["method"], fee["receipt_ref"]) == ("paid", "transfer", "HD-0001234")
    assert not pay.isVisible()


def test_result_sealed_then_returned_only_to_the_applicant_or_a_proxy(workers, qtbot, ctx: AppContext, hsm: HsmToken,  # type: ignore[no-untyped-def]  # noqa: F811
                                                                     pki: TestPKI, tmp_path: Path) -> None:  # noqa: F811
    from tests.lifecycle.conftest import make_pdf

    _use_token(ctx, hsm, pki)
    page, code, _officer = _open(qtbot, workers, ctx)
    bar = page.lifecycle_actions
    with _answer(dialogs.HandoffDialog, lambda dlg: dlg.department.setCurrentText("Phòng Tư pháp")):
        bar.buttons[Action.PROCESS].click()
    _idle(qtbot, page, DossierStatus.PROCESSING)
    page.open_forms = False
    with patch("ui.pin_dialog.ask_pin", return_value=(hsm.pin, False)):
        bar.attach_result_file([make_pdf(tmp_path / "ket-qua.pdf")])
        _idle(qtbot, page, DossierStatus.DONE)
    result = next(f for f in ctx.dossiers.files(code) if f.kind == "result")
    assert result.signature_state == "verified"
    assert ctx.lifecycle.record(code)["results"][0]["digitized"] is False, "an electronic result"
    assert bar.buttons[Action.RETURN].isVisible() and not bar.buttons[Action.POST_HANDOVER].isVisible()

    def someone_else(dlg: Any) -> None:
        dlg.id_number.setText("001099012345")

    with _answer(dialogs.ReturnDialog, someone_else):
        bar.buttons[Action.RETURN].click()
        qtbot.waitUntil(lambda: not page.busy() and "001099012345" in page.message.text(), timeout=10_000)
    assert page.message.styleSheet() == "color: #b00020;"
    assert ctx.dossiers.get(code).status == DossierStatus.DONE

    def proxy(dlg: Any) -> None:
        dlg.id_number.setText("001099012345")
        dlg.proxy.setChecked(True)
        dlg.recipient.setText("Phạm Văn Em")
        dlg.set_letter(make_pdf(tmp_path / "uy-quyen.pdf", "Giay uy quyen"))

    with _answer(dialogs.ReturnDialog, proxy):
        bar.buttons[Action.RETURN].click()
        _idle(qtbot, page, DossierStatus.RESULT_RETURNED)
    assert any(f.kind == "authorization" for f in ctx.dossiers.files(code))
    assert not any(b.isVisible() for b in bar.buttons.values())
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert page.findChildren(QDialog) == [], "each dialog goes after its answer, none piles up for the day"


def test_a_proxys_letter_photographed_at_the_counter_is_digitized_and_kept(workers, qtbot, ctx: AppContext,  # type: ignore[no-untyped-def]
                                                                            tmp_path: Path) -> None:
    """Found in use: the letter had to be a PDF, while a proxy brings paper that the officer
    photographs or scans; now its pages go through the capture path first (OCR, PDF/A)."""
    import cv2

    from scanning.samples import render_a4
    from tests.lifecycle.conftest import SealDouble, make_pdf

    page, code, officer = _open(qtbot, workers, ctx)
    ctx.lifecycle.process(officer, code)
    ctx.lifecycle.attach_result(Actor.cli(), code, make_pdf(tmp_path / "kq.pdf"), SealDouble())
    page.refresh()
    bar = page.lifecycle_actions
    qtbot.waitUntil(lambda: bar.buttons[Action.RETURN].isVisible() and not page.busy(), timeout=10_000)
    photos = []
    for n, lines in enumerate((["GIẤY ỦY QUYỀN", "Tôi là Phạm Thị Đào, ủy quyền cho ông Phạm Văn Em",
                                "nhận kết quả hồ sơ " + code],
                               ["Người được ủy quyền: Phạm Văn Em", "Số định danh 001099012345"]), 1):
        path = tmp_path / f"uy-quyen-{n}.jpg"
        cv2.imwrite(str(path), render_a4(lines, dpi=150))
        photos.append(path)

    def proxy(dlg: Any, id_number: str = "001099012345") -> None:
        dlg.id_number.setText(id_number)
        dlg.proxy.setChecked(True)
        dlg.recipient.setText("Phạm Văn Em")
        dlg.set_letter(*photos)
        assert "1 more page" in dlg.letter.text()

    made = ctx.settings.files_dir / "authorizations"
    with _answer(dialogs.ReturnDialog, lambda dlg: proxy(dlg, "00109")):  # a mistyped ID: refused after the OCR
        bar.buttons[Action.RETURN].click()
        qtbot.waitUntil(lambda: not page.busy() and page.message.styleSheet() == "color: #b00020;", timeout=20_000)
    assert ctx.dossiers.get(code).status == DossierStatus.DONE and list(made.glob("*.pdf")) == []
    with _answer(dialogs.ReturnDialog, proxy):
        bar.buttons[Action.RETURN].click()
        _idle(qtbot, page, DossierStatus.RESULT_RETURNED)
    letter = next(f for f in ctx.dossiers.files(code) if f.kind == "authorization")
    assert letter.filename.endswith(".pdf") and Path(letter.path).exists()
    import subprocess

    import pikepdf

    with pikepdf.open(letter.path) as pdf:
        assert len(pdf.pages) == 2
    text = subprocess.run(["pdftotext", letter.path, "-"], capture_output=True, text=True, check=True).stdout
    assert "ỦY QUYỀN" in text and "001099012345" in text  # searchable: it went through OCR


def test_the_postal_steps_in_order(workers, qtbot, ctx: AppContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.lifecycle.conftest import SealDouble, make_pdf

    page, code, officer = _open(qtbot, workers, ctx, postal_address={"name": "Phạm Thị Đào", "address": "12 Lê Lợi, Quy Nhơn"})
    ctx.lifecycle.process(officer, code)
    ctx.lifecycle.attach_result(Actor.cli(), code, make_pdf(tmp_path / "kq.pdf"), SealDouble())
    page.refresh()
    bar = page.lifecycle_actions
    qtbot.waitUntil(lambda: bar.buttons[Action.POST_HANDOVER].isVisible() and not page.busy(), timeout=10_000)
    assert not bar.buttons[Action.POST_SENT].isVisible()
    area = page.parent()
    lst = area.list
    lst.open_prints = False
    lst.returning.setCurrentIndex(lst.returning.findData(Returning.POST))
    assert not lst.handover_button.isHidden()
    lst.print_handover()  # nothing handed over yet: said, no empty list printed
    qtbot.waitUntil(lambda: "bưu điện" in lst.message.text() or "post" in lst.message.text(), timeout=10_000)
    assert lst.last_handover is None
    bar.buttons[Action.POST_HANDOVER].click()
    qtbot.waitUntil(lambda: bar.buttons[Action.POST_SENT].isVisible() and not page.busy(), timeout=10_000)
    assert not bar.buttons[Action.RETURN].isVisible()
    lst.print_handover()
    qtbot.waitUntil(lambda: lst.last_handover is not None, timeout=10_000)
    from subprocess import run

    text = run(["pdftotext", str(lst.last_handover), "-"], capture_output=True, text=True, check=True).stdout
    assert code in text and "12 Lê Lợi, Quy Nhơn" in text
    with patch.object(QInputDialog, "getText", return_value=("EB123456789VN", True)):
        bar.buttons[Action.POST_SENT].click()
        qtbot.waitUntil(lambda: bar.buttons[Action.POST_DELIVERED].isVisible() and not page.busy(), timeout=10_000)
    with patch.object(QMessageBox, "question", return_value=QMessageBox.StandardButton.Yes):
        bar.buttons[Action.POST_DELIVERED].click()
        _idle(qtbot, page, DossierStatus.RESULT_RETURNED)
    assert ctx.lifecycle.postal_list()[0]["waybill"] == "EB123456789VN"


def test_the_return_dialog_reads_the_recipient_s_card(workers, qtbot, ctx: AppContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import cv2

    from tests.scanning.test_cccd import SEVEN, card_image

    card = tmp_path / "cccd.png"
    cv2.imwrite(str(card), card_image(SEVEN, photo=True))
    dlg = dialogs.ReturnDialog(None, ctx.settings, "Phạm Thị Đào", ID, workers=workers)
    qtbot.addWidget(dlg)
    dlg.proxy.setChecked(True)
    dlg.read_card(card)
    qtbot.waitUntil(lambda: dlg.id_number.text() == "079190234567" and dlg.card_button.isEnabled(), timeout=20_000)
    assert dlg.recipient.text() and dlg.recipient.text() in dlg.card_note.text()
    broken = tmp_path / "not-a-card.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n broken")
    dlg.read_card(broken)
    qtbot.waitUntil(lambda: dlg.card_button.isEnabled() and dlg.card_note.styleSheet() == "color: #b00020;",
                    timeout=20_000)
    assert dlg.id_number.text() == "079190234567", "a failed read keeps what was there"


def test_an_online_dossier_s_form_goes_sealed_through_the_dossier_system(workers, qtbot, ctx: AppContext, hsm: HsmToken,  # type: ignore[no-untyped-def]  # noqa: F811
                                                                         pki: TestPKI) -> None:  # noqa: F811
    """The citizen who filed online is not at the counter: a printed 02 would reach no one."""
    from desktop.workflow.form_desk import FORM_KIND

    _use_token(ctx, hsm, pki)
    page, code, _officer = _open(qtbot, workers, ctx, channel=2)
    with _answer(dialogs.SupplementDialog, _tick_first_and("Ảnh chụp giấy chứng sinh bị mờ")), \
            patch("ui.pin_dialog.ask_pin", return_value=(hsm.pin, False)):
        page.lifecycle_actions.trigger(Action.SUPPLEMENT)
        qtbot.waitUntil(lambda: page.last_form is not None and not page.busy(), timeout=30_000)
    forms = [f for f in ctx.dossiers.files(code) if f.kind == FORM_KIND]
    assert len(forms) == 1 and forms[0].signature_state == "verified" and forms[0].filename.startswith("02-")


def test_a_paper_result_is_digitized_then_sealed(workers, qtbot, ctx: AppContext, hsm: HsmToken, pki: TestPKI,  # type: ignore[no-untyped-def]  # noqa: F811
                                                 tmp_path: Path) -> None:
    import cv2

    from scanning.samples import DOCUMENTS, render

    _use_token(ctx, hsm, pki)
    page, code, officer = _open(qtbot, workers, ctx)
    ctx.lifecycle.process(officer, code)
    page.refresh()
    _idle(qtbot, page, DossierStatus.PROCESSING)
    scan = tmp_path / "ket-qua.png"
    cv2.imwrite(str(scan), render(DOCUMENTS["khai_sinh"], dpi=200))
    with patch("ui.pin_dialog.ask_pin", return_value=None):  # the officer cancels the PIN: nothing is made
        page.lifecycle_actions.attach_result_file([scan], scanned=True)
        qtbot.waitUntil(lambda: not page.busy() and "PIN" in page.message.text(), timeout=20_000)
    assert not (ctx.settings.files_dir / "results").exists() or not list((ctx.settings.files_dir / "results").rglob("*.pdf"))
    assert ctx.dossiers.get(code).status == DossierStatus.PROCESSING
    with patch("ui.pin_dialog.ask_pin", return_value=(hsm.pin, False)):
        page.lifecycle_actions.attach_result_file([scan], scanned=True)
        _idle(qtbot, page, DossierStatus.DONE)
    result = ctx.lifecycle.record(code)["results"][0]
    assert result["digitized"] is True and result["signature_state"] == "verified"
    kept = next(f for f in ctx.dossiers.files(code) if f.kind == "result")
    from subprocess import run

    text = run(["pdftotext", kept.path, "-"], capture_output=True, text=True, check=True).stdout
    assert "khai sinh" in text.lower(), "the digitized result carries its text layer"
    assert not list((ctx.settings.files_dir / "results" / "scans").glob("*.pdf")), "the scans' PDF is not left behind"


def test_the_register_of_the_days_chosen_from_the_list(workers, qtbot, ctx: AppContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    page, code, _officer = _open(qtbot, workers, ctx)
    lst = page.parent().list
    assert not lst.register_button.isHidden()
    out = tmp_path / "so.xlsx"
    lst.write_register(out)
    qtbot.waitUntil(lambda: str(out) in lst.message.text(), timeout=10_000)
    cells = [c.value for row in openpyxl.load_workbook(out).active.iter_rows() for c in row]
    assert code in cells and "Phạm Thị Đào" in cells
    with ctx.db.session() as s:
        from sqlalchemy import select

        from desktop.db.models import AuditEvent

        assert s.scalar(select(AuditEvent.action).where(AuditEvent.action == "form.register")) == "form.register"
    lst.write_register(tmp_path / "so.doc")  # the core's refusal, shown
    qtbot.waitUntil(lambda: ".doc" in lst.message.text() and lst.message.styleSheet() == "color: #b00020;",
                    timeout=10_000)


def test_closing_the_return_dialog_while_the_card_is_read_leaves_no_dangling_callback(  # type: ignore[no-untyped-def]
        workers, qtbot, ctx: AppContext, tmp_path: Path) -> None:
    """The officer closes the dialog (the citizen left, the wrong photo) while its card is read:
    the read is cancelled and its late answer reaches nothing. Before, the answer called into
    the deleted dialog's widgets (a RuntimeError in the event loop)."""
    import threading
    from types import SimpleNamespace

    import shiboken6

    release = threading.Event()

    def slow_read(path: Path) -> Any:
        release.wait(10)
        return SimpleNamespace(id_number="001099012345", name="Phạm Văn Em")  # a card read too late

    dlg = dialogs.ReturnDialog(None, ctx.settings, "Phạm Thị Đào", ID, workers=workers)
    with patch("scanning.cccd.read_cccd", slow_read):
        dlg.read_card(tmp_path / "cccd.png")
        qtbot.waitUntil(lambda: workers.running_tasks() == 1, timeout=5_000)
        (task,) = workers._running  # the dialog's read, however the dialog holds it
        dlg.reject()
        assert task.token.cancelled, "closing the dialog cancels its read"
        shiboken6.delete(dlg)
        release.set()
        with qtbot.waitSignal(task.finished, timeout=10_000):
            pass
        qtbot.wait(50)  # the queued answers are delivered (to nothing)



def test_the_forms_dialog_sends_an_issued_form_to_the_citizen(workers, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+E in the forms dialog: the issued receipt goes to the citizen's e-mail through the
    outbox (a real SMTP server on loopback), and the history says so."""
    from tests.outbox.notice_servers import SmtpServer

    server = SmtpServer().start()
    try:
        ctx.settings.smtp_host, ctx.settings.smtp_port, ctx.settings.smtp_security = "127.0.0.1", server.port, "none"
        ctx.settings.smtp_sender = "motcua@quynhon.gov.vn"
        page, code, _officer = _open(qtbot, workers, ctx, applicant_email="dao.pham@example.vn")
        page.issue_form("01")
        qtbot.waitUntil(lambda: page.last_form is not None and not page.busy(), timeout=20_000)
        states: list[tuple[bool, bool]] = []

        def send_06_then_01(dlg: Any) -> None:
            dlg.list.setCurrentRow(1)  # 06, the control sheet, is the agency's
            states.append((dlg.send_button.isEnabled(), dlg.send_button.shortcut().toString() == "Ctrl+E"))
            dlg.list.setCurrentRow(0)
            states.append((dlg.send_button.isEnabled(), True))
            dlg.send_button.click()

        with _answer(dialogs.FormsDialog, send_06_then_01):
            page.forms_button.click()
            qtbot.waitUntil(lambda: "d…@example.vn" in page.message.text() and not page.busy(), timeout=20_000)
        assert states == [(False, True), (True, True)]
        ctx.outbox.drain(Actor.uploader())
        [m] = server.mailbox.messages
        assert m["To"] == "dao.pham@example.vn" and code in m["Subject"]
        page.refresh()

        def history() -> list[str]:
            return [page.history.item(r, 2).text() for r in range(page.history.rowCount())
                    if page.history.item(r, 2) is not None]

        qtbot.waitUntil(lambda: any(t.startswith("form sent to the citizen — 01 · e-mail · d…@example.vn")
                                    for t in history()), timeout=5000)
    finally:
        server.stop()
