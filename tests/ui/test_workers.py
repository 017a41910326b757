"""The worker helper: results, progress, cancel and errors arrive as signals on the UI thread."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QThread

from desktop.kernel.errors import MotcuaError
from ui import workers


def test_result_and_progress_arrive_on_the_main_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[int, int, str]] = []
    on_main: list[bool] = []  # where each progress signal was delivered
    threads: set[str] = set()
    main = QThread.currentThread()

    def work(cancel, progress):  # type: ignore[no-untyped-def]
        threads.add(threading.current_thread().name)
        for i in range(3):
            progress(i + 1, 3, f"trang {i + 1}")
        return "xong"

    task = workers.submit(work, pool_name=workers.Pool.GENERAL)
    task.progress.connect(lambda d, t, m: (seen.append((d, t, m)), on_main.append(QThread.currentThread() is main)))
    results_on_main: list[bool] = []
    task.succeeded.connect(lambda _: results_on_main.append(QThread.currentThread() is main))
    with qtbot.waitSignal(task.succeeded, timeout=5000) as sig:
        pass
    assert sig.args == ["xong"]
    qtbot.waitUntil(lambda: len(seen) == 3, timeout=2000)
    assert seen[-1] == (3, 3, "trang 3")
    assert on_main == [True, True, True] and results_on_main == [True]  # delivered on the UI thread
    assert threading.main_thread().name not in threads  # ... from work done on another


def test_cancel_stops_the_task(qtbot) -> None:  # type: ignore[no-untyped-def]
    started = threading.Event()

    def work(cancel, progress):  # type: ignore[no-untyped-def]
        started.set()
        for _ in range(500):
            cancel.raise_if_cancelled()
            time.sleep(0.01)
        return "not cancelled"

    task = workers.submit(work)
    started.wait(5)
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        task.cancel()


@pytest.mark.log_warnings('crashed')
def test_user_error_is_shown_and_bug_is_logged(qtbot, caplog) -> None:  # type: ignore[no-untyped-def]
    t1 = workers.submit(lambda c, p: (_ for _ in ()).throw(MotcuaError("Sai mã PIN")))
    with qtbot.waitSignal(t1.failed, timeout=5000) as sig:
        pass
    assert sig.args == ["Sai mã PIN"]
    t2 = workers.submit(lambda c, p: 1 / 0, name="division")
    with qtbot.waitSignal(t2.failed, timeout=5000) as sig2:
        pass
    assert "nhật ký" in sig2.args[0] and "ZeroDivisionError" not in sig2.args[0]
    qtbot.waitUntil(lambda: any("division" in r.getMessage() for r in caplog.records), timeout=2000)


def test_db_pool_serializes_work(qtbot) -> None:  # type: ignore[no-untyped-def]
    active = 0
    peak = 0
    lock = threading.Lock()

    def work(cancel, progress):  # type: ignore[no-untyped-def]
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.02)
        with lock:
            active -= 1

    tasks = [workers.submit(work, pool_name=workers.Pool.DB) for _ in range(5)]
    qtbot.waitUntil(lambda: workers.running_tasks() == 0, timeout=5000)
    assert peak == 1 and len(tasks) == 5


def test_tasks_nobody_holds_still_deliver_their_signals(qtbot) -> None:  # type: ignore[no-untyped-def]
    # A caller that keeps no reference to its task (the usual `workers.run(...)`) must
    # still get its result: the task may not be freed while its signals are in flight.
    got: list[str] = []
    for i in range(60):
        t = workers.submit(lambda cancel, progress, i=i: f"p{i}", pool_name=workers.Pool.GENERAL)
        t.succeeded.connect(got.append)
    qtbot.waitUntil(lambda: len(got) == 60 and workers.running_tasks() == 0, timeout=20000)
    assert sorted(got) == sorted(f"p{i}" for i in range(60))
