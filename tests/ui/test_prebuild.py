"""The counter flow's screens are built at idle after sign-in, one short step per event-loop
turn, so the officer's first Reception, Dossiers and F5 construct nothing on the UI thread
(built on first use they froze the window for 40–90 ms each: bench/flow_bench.py --why).
The chain stops with the window; the scan screen's previews then run in the page workers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.auth import Actor
from desktop.context import AppContext
from desktop.db.models import Role
from ui.dossiers.area import DossiersArea
from ui.main_window import MainWindow
from ui.reception_view import ReceptionView
from ui.scan_view import ScanView
from ui.services import UiServices

#: the main window's token widget watches PC/SC; without pcscd here it logs that, as it should
NO_PCSCD = pytest.mark.log_warnings("PC/SC service unavailable")


@pytest.fixture(autouse=True)
def _only_the_sane_test_device(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the scan screen looks for scanners when it is built: never probe the machine's USB
    from tests.scanning.sane_device import use_sane_test_device

    use_sane_test_device(tmp_path, monkeypatch)


@pytest.fixture
def services(ctx: AppContext) -> Iterator[UiServices]:
    s = UiServices(ctx, start_uploader=False)
    yield s
    s.close()


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The flow's screens constructed, by class name, in order."""
    seen: list[str] = []
    for cls in (ReceptionView, DossiersArea, ScanView):
        init = cls.__init__

        def counting(self: Any, *args: Any, _init: Any = init, _name: str = cls.__name__, **kwargs: Any) -> None:
            seen.append(_name)
            _init(self, *args, **kwargs)

        monkeypatch.setattr(cls, "__init__", counting)
    return seen


def _officer(ctx: AppContext) -> Actor:
    return ctx.auth.create_officer(Actor.cli(), username="lan", full_name="Trần Thị Lan",
                                   role=Role.COUNTER_OFFICER, password="mat-khau-dai")


@NO_PCSCD
def test_after_the_idle_build_the_flow_constructs_nothing(qtbot, ctx: AppContext, services: UiServices,  # type: ignore[no-untyped-def]
                                                          built: list[str]) -> None:
    officer = _officer(ctx)
    d = ctx.counter.receive(officer, procedure_code="1.001193", applicant_name="Phạm Thị Đào")
    win = MainWindow(services, officer, prebuild=True)
    qtbot.addWidget(win)
    win.show()
    assert built == []  # nothing before the window is up and the warm-up imports are done
    qtbot.waitUntil(lambda: win.prebuilt, timeout=60_000)
    assert built == ["ReceptionView", "DossiersArea", "ScanView"]
    qtbot.waitUntil(lambda: ctx.started_page_pool() is not None, timeout=5000)  # the page workers started too
    # the officer's first Reception, Dossiers and F5 on a slot: the screens are there already
    reception = win.open_area("reception")
    assert isinstance(reception, ReceptionView) and win.stack.currentWidget() is reception
    area = win.open_area("dossiers")
    assert isinstance(area, DossiersArea)
    area.open_dossier(d.code)
    qtbot.waitUntil(lambda: area.page.page is not None, timeout=5000)
    area.scan_into(d.code, "TK")
    assert area.currentWidget() is not area.page and area.scan_view().dossier_edit.text() == d.code
    assert built == ["ReceptionView", "DossiersArea", "ScanView"]  # nothing new on first use


@NO_PCSCD
def test_each_step_builds_one_screen_and_prebuild_all_builds_them_all(qtbot, ctx: AppContext,  # type: ignore[no-untyped-def]
                                                                      services: UiServices, built: list[str]) -> None:
    win = MainWindow(services, _officer(ctx))
    qtbot.addWidget(win)
    steps = win.prebuild_steps()
    assert len(steps) == 2  # Reception, Dossiers (the area adds its own when it is built)
    steps[0]()
    assert built == ["ReceptionView"] and set(win.pages) == {"counter", "reception"}
    win.prebuild_all()
    assert built == ["ReceptionView", "DossiersArea", "ScanView"] and win.prebuilt
    assert win.prebuild_steps() == []  # built once: a second chain has nothing to do
    assert built == ["ReceptionView", "DossiersArea", "ScanView"]


@NO_PCSCD
def test_an_area_opened_before_the_chain_still_gets_its_own_steps(qtbot, ctx: AppContext,  # type: ignore[no-untyped-def]
                                                                  services: UiServices, built: list[str]) -> None:
    win = MainWindow(services, _officer(ctx))
    qtbot.addWidget(win)
    win.open_area("dossiers")  # as a dossier resumed after a crash opens it at start
    assert built == ["DossiersArea"]
    win.prebuild_all()
    assert built == ["DossiersArea", "ReceptionView", "ScanView"]


@NO_PCSCD
def test_the_chain_stops_with_the_window(qtbot, ctx: AppContext, services: UiServices,  # type: ignore[no-untyped-def]
                                         built: list[str]) -> None:
    win = MainWindow(services, _officer(ctx), prebuild=True)
    qtbot.addWidget(win)
    win.show()
    win._start_prebuild()  # as when the warm-up ends: the first step waits for the next turn
    assert win._idle_timer.isActive()
    win.close()  # sign-out or a language change before the chain ran
    assert not win._idle_timer.isActive()
    qtbot.wait(50)
    assert built == [] and not win.prebuilt


def test_previews_run_in_the_page_workers_when_they_run(workers, qtbot, ctx: AppContext, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """On this process's threads the clean-up's NumPy and Tesseract work held the GIL for up
    to 160 ms at a time and froze the window; in the page workers it cannot."""
    import cv2

    from scanning.page_pool import PagePool
    from scanning.samples import render

    def not_here(*_a: Any, **_k: Any) -> None:
        raise AssertionError("a preview was made on a thread of the UI's process")

    monkeypatch.setattr("ui.scan_view.preview", not_here)
    img = tmp_path / "p.png"
    cv2.imwrite(str(img), render())
    with PagePool(1) as pool:
        view = ScanView(ctx, Actor.cli(), pool=pool, workers=workers)
        qtbot.addWidget(view)
        view.import_files([img])
        qtbot.waitUntil(lambda: len(view.batch) == 1 and view.batch.pages[0].steps is not None, timeout=60_000)
        assert view.pages.item(0).text()  # the badge line came back from the worker
