"""The worker pools: results, progress, cancel and errors arrive as signals on the UI thread;
each ``Workers`` has pools of its own, and one shut down (by ``UiServices.close()``) runs nothing more."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QThread

from desktop.context import AppContext
from desktop.kernel.errors import MotcuaError
from ui.services import UiServices
from ui.workers import Pool, Workers


def test_result_and_progress_arrive_on_the_main_thread(workers: Workers, qtbot) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[int, int, str]] = []
    on_main: list[bool] = []  # where each progress signal was delivered
    threads: set[str] = set()
    main = QThread.currentThread()

    def work(cancel, progress):  # type: ignore[no-untyped-def]
        threads.add(threading.current_thread().name)
        for i in range(3):
            progress(i + 1, 3, f"trang {i + 1}")
        return "xong"

    task = workers.submit(work, pool_name=Pool.GENERAL)
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


def test_cancel_stops_the_task(workers: Workers, qtbot) -> None:  # type: ignore[no-untyped-def]
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
def test_user_error_is_shown_and_bug_is_logged(workers: Workers, qtbot, caplog) -> None:  # type: ignore[no-untyped-def]
    t1 = workers.submit(lambda c, p: (_ for _ in ()).throw(MotcuaError("Sai mã PIN")))
    with qtbot.waitSignal(t1.failed, timeout=5000) as sig:
        pass
    assert sig.args == ["Sai mã PIN"]
    t2 = workers.submit(lambda c, p: 1 / 0, name="division")
    with qtbot.waitSignal(t2.failed, timeout=5000) as sig2:
        pass
    assert "nhật ký" in sig2.args[0] and "ZeroDivisionError" not in sig2.args[0]
    qtbot.waitUntil(lambda: any("division" in r.getMessage() for r in caplog.records), timeout=2000)


def test_db_pool_serializes_work(workers: Workers, qtbot) -> None:  # type: ignore[no-untyped-def]
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

    tasks = [workers.submit(work, pool_name=Pool.DB) for _ in range(5)]
    qtbot.waitUntil(lambda: workers.running_tasks() == 0, timeout=5000)
    assert peak == 1 and len(tasks) == 5


def test_tasks_nobody_holds_still_deliver_their_signals(workers: Workers, qtbot) -> None:  # type: ignore[no-untyped-def]
    # A caller that keeps no reference to its task (the usual `workers.run(...)`) must
    # still get its result: the task may not be freed while its signals are in flight.
    got: list[str] = []
    for i in range(60):
        t = workers.submit(lambda cancel, progress, i=i: f"p{i}", pool_name=Pool.GENERAL)
        t.succeeded.connect(got.append)
    qtbot.waitUntil(lambda: len(got) == 60 and workers.running_tasks() == 0, timeout=20000)
    assert sorted(got) == sorted(f"p{i}" for i in range(60))


def test_two_workers_have_pools_of_their_own(workers: Workers, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The database pool has one thread: another window's (another ``Workers``) is not held
    up by a task that blocks this one's, and neither counts the other's tasks."""
    other = Workers()
    release = threading.Event()
    try:
        held = workers.submit(lambda c, p: release.wait(10), pool_name=Pool.DB, name="held")
        qtbot.waitUntil(lambda: workers.pool(Pool.DB).activeThreadCount() == 1, timeout=5000)
        with qtbot.waitSignal(other.submit(lambda c, p: "free", pool_name=Pool.DB).succeeded, timeout=5000) as sig:
            pass
        assert sig.args == ["free"] and not release.is_set()
        assert other.pool(Pool.DB) is not workers.pool(Pool.DB)
        qtbot.waitUntil(lambda: other.running_tasks() == 0, timeout=5000)  # it leaves the set after its signal
        assert workers.running_tasks() == 1
    finally:
        release.set()
        assert other.shutdown(5000)
    qtbot.waitUntil(lambda: workers.running_tasks() == 0, timeout=5000)
    assert held.token.cancelled is False


def test_after_the_services_close_nothing_runs_and_new_work_is_refused(workers: Workers, qtbot,  # type: ignore[no-untyped-def]
                                                                     ctx: AppContext) -> None:
    services = UiServices(ctx, start_uploader=False, purge_first_ms=10**9, backup_first_ms=10**9)
    started = threading.Event()
    ran_late: list[bool] = []

    def long(cancel, progress):  # type: ignore[no-untyped-def]
        started.set()
        while True:
            cancel.raise_if_cancelled()
            time.sleep(0.01)

    running = services.workers.submit(long, name="long")
    cancelled: list[bool] = []
    running.cancelled.connect(lambda: cancelled.append(True))
    qtbot.waitUntil(started.is_set, timeout=5000)
    queued = services.workers.submit(lambda c, p: ran_late.append(True), name="queued")  # not started yet
    services.close()
    assert services.workers.running_tasks() == 0 and running.token.cancelled
    assert services.workers.pool(Pool.GENERAL).activeThreadCount() == 0
    qtbot.waitUntil(lambda: cancelled == [True], timeout=5000)
    assert queued.token.cancelled  # queued at close: started with its token cancelled, and waited for
    ran_late.clear()
    late = services.workers.run(lambda c, p: ran_late.append(True), name="late")  # a window's timer, say
    assert services.workers.closed and late.token.cancelled and services.workers.running_tasks() == 0
    qtbot.wait(50)
    assert not ran_late, "work asked for after the close is refused"
