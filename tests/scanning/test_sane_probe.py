"""SANE devices are listed by a child process: a backend that aborts takes the probe, not us.

Found: with every backend of Debian's dll.conf, ``sane_get_devices`` aborted the whole test
process. The cause shown here (sane-backends 1.2.1): ``pixma``, ``epson2`` and
``dell1600n_net`` put their discovery socket in an ``fd_set``; once a process has 1024
descriptors open, glibc's fortified ``FD_SET`` aborts it ("bit out of range 0 - FD_SETSIZE
on fd_set"). The tests make that condition for real with ``pixma`` beside the ``test``
backend; other deaths (a kill, a hang, an exit code) through the child's test-only fault hook.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from desktop.config import Settings
from desktop.kernel.i18n import set_language
from desktop.selftest import check_sane
from scanning.sane_child import FAULT_ENV
from scanning.sources import discover, open_source, sane_probe, unavailable
from scanning.sources.files_source import FilesSource
from scanning.sources.sane_probe import ProbeFailed, probe
from scanning.sources.sane_source import SaneSource, capabilities_of, sane_session
from tests.scanning.sane_device import use_sane_test_device

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    sane_probe.clear_cache()
    yield
    sane_probe.clear_cache()


def with_pixma(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    conf = use_sane_test_device(tmp_path, monkeypatch)
    (conf / "dll.conf").write_text("test\npixma\n", encoding="ascii")
    return conf


def test_a_backend_aborting_in_get_devices_kills_only_the_probe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with_pixma(tmp_path, monkeypatch)
    monkeypatch.setenv(FAULT_ENV, "fds")  # the child fills its descriptor table: pixma's FD_SET aborts it
    found = discover(include_files=True, fresh=True)
    assert "SIGABRT" in found.problems["sane"] and "dừng đột ngột" in found.problems["sane"]
    assert "Ứng dụng vẫn chạy" in found.problems["sane"] and "dll.conf" in found.problems["sane"]
    assert [s.kind for s in found.sources] == ["files"]  # file import still offered
    assert "SIGABRT" in unavailable()["sane"]
    set_language("en")
    check = check_sane(Settings())
    assert not check.ok and "crashed" in check.detail and "SIGABRT" in check.detail and "dll.conf" in check.fix
    # the device can still be scanned by name: only the listing crashed
    assert open_source("test:0").scan()[0].image.size > 0
    monkeypatch.delenv(FAULT_ENV)
    assert [s.id for s in SaneSource.list_devices()] == ["sane:test:0", "sane:test:1"]


@pytest.mark.parametrize(("fault", "words"), [("kill", "SIGKILL"), ("exit", "exited with code 3")])
def test_a_probe_killed_or_exiting_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str, words: str) -> None:
    use_sane_test_device(tmp_path, monkeypatch)
    monkeypatch.setenv(FAULT_ENV, fault)
    set_language("en")
    with pytest.raises(ProbeFailed) as info:
        probe(fresh=True)
    assert words in info.value.message and "keeps running" in info.value.message
    assert info.value.hint is not None and "Importing image/PDF files still works" in info.value.hint


def test_a_hung_probe_is_stopped_at_the_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_sane_test_device(tmp_path, monkeypatch)
    monkeypatch.setenv(FAULT_ENV, "hang")
    t = time.monotonic()
    with pytest.raises(ProbeFailed, match="quá 1.5 giây"):
        probe(fresh=True, timeout=1.5)
    assert time.monotonic() - t < 10
    assert not multiprocessing.active_children()  # the hung child was killed, not left behind


def test_a_probe_that_answers_then_hangs_in_sane_exit_is_killed_and_its_answer_used(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_sane_test_device(tmp_path, monkeypatch)
    monkeypatch.setenv(FAULT_ENV, "hang-exit")
    monkeypatch.setattr(sane_probe, "EXIT_WAIT_S", 0.5)
    t = time.monotonic()
    assert [d.name for d in probe(fresh=True).devices] == ["test:0", "test:1"]
    assert time.monotonic() - t < 10 and not multiprocessing.active_children()


_IN_PROCESS = """
import os, sys
keep = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]  # a long-lived process's descriptors
import sane
sane.init()
print(sane.get_devices(), flush=True)
"""

_THROUGH_THE_APP = """
import json, os
keep = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
from scanning.sources import list_sources
print(json.dumps([s.id for s in list_sources()]), flush=True)
"""


def test_listing_in_process_aborted_and_the_application_now_lists_in_the_same_state(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The old listing (sane_init + get_devices in the application's process) died with the
    process; the application's list_sources() in the same state lives and lists the devices
    (before the probe, it was that old listing and died the same way). Each runs in a
    subprocess: the old way would kill pytest."""
    conf = with_pixma(tmp_path, monkeypatch)
    env = {k: v for k, v in os.environ.items() if k != FAULT_ENV}
    env.update(SANE_CONFIG_DIR=str(conf), PYTHONPATH=str(ROOT))
    old = subprocess.run([sys.executable, "-c", _IN_PROCESS], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert old.returncode == -signal.SIGABRT and "FD_SETSIZE" in old.stderr
    new = subprocess.run([sys.executable, "-c", _THROUGH_THE_APP], env=env, cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert new.returncode == 0, new.stderr
    out = json.loads(new.stdout)
    # the child starts with a fresh descriptor table, so here pixma does not even abort
    assert out == ["sane:test:0", "sane:test:1", "files"]


def test_capabilities_from_the_probe_are_those_read_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_sane_test_device(tmp_path, monkeypatch)
    probed = {s.device: s.capabilities for s in SaneSource.list_devices()}
    with sane_session() as sane:
        dev = sane.open("test:0")
        try:
            here = capabilities_of(dev)
        finally:
            dev.close()
    assert probed["test:0"] == here and here.sources == ("flatbed", "adf")


class CountingRunner:
    def __init__(self, answer: Any) -> None:
        self.answer, self.calls = answer, 0

    def __call__(self, with_options: bool, timeout: float) -> Any:
        self.calls += 1
        if isinstance(self.answer, BaseException):
            raise self.answer
        return self.answer


DEVICES = {"devices": [{"name": "test:0", "vendor": "Noname", "model": "frontend-tester", "type": "virtual device",
                        "options": None, "error": ""}]}


def test_the_probe_is_cached_per_configuration_and_a_refresh_asks_again(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CountingRunner(DEVICES)
    monkeypatch.setattr(sane_probe, "runner", runner)
    monkeypatch.setenv("SANE_CONFIG_DIR", str(tmp_path / "a"))
    first = probe()
    assert probe() is first and probe(with_options=False) is first and runner.calls == 1
    probe(fresh=True)
    assert runner.calls == 2
    monkeypatch.setenv("SANE_CONFIG_DIR", str(tmp_path / "b"))  # other backends: another probe
    probe()
    assert runner.calls == 3
    monkeypatch.setattr(sane_probe, "CACHE_S", 0.0)
    probe()
    assert runner.calls == 4


def test_a_failed_probe_is_cached_too_and_says_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CountingRunner(sane_probe.ChildFailed(-signal.SIGABRT, 30))
    monkeypatch.setattr(sane_probe, "runner", runner)
    monkeypatch.setenv("SANE_CONFIG_DIR", str(tmp_path))
    for lang in ("vi", "en", "vi"):  # opening the scan screen again does not crash a backend again
        set_language(lang)
        with pytest.raises(ProbeFailed, match="SIGABRT") as info:
            probe()
        assert ("crashed" in info.value.message) == (lang == "en")  # told in the language of the moment
    assert runner.calls == 1
    runner.answer = DEVICES
    assert [d.name for d in probe(fresh=True).devices] == ["test:0"]  # Refresh tries again


@pytest.mark.parametrize("answer", [None, "x", {"devices": [{"name": "a"}]}, {"devices": 3}])
def test_a_malformed_answer_is_a_probe_failure(monkeypatch: pytest.MonkeyPatch, answer: Any) -> None:
    monkeypatch.setattr(sane_probe, "runner", CountingRunner(answer))
    with pytest.raises(ProbeFailed):
        probe(fresh=True)


def test_files_source_is_always_there_when_sane_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sane_probe, "runner", CountingRunner(sane_probe.ChildFailed(None, 30)))
    found = discover(include_files=True, fresh=True)
    assert "30 giây" in found.problems["sane"] and isinstance(found.sources[-1], FilesSource)


def test_a_device_busy_during_the_probe_is_listed_and_read_when_used(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # the test backend's "busy" lives in one process, so the child's failed open is told here
    use_sane_test_device(tmp_path, monkeypatch)
    busy = {"devices": [{**DEVICES["devices"][0], "error": "Device busy"}]}
    monkeypatch.setattr(sane_probe, "runner", CountingRunner(busy))
    [src] = SaneSource.list_devices()
    assert src.id == "sane:test:0" and "frontend-tester" in src.name
    assert src.capabilities.sources == ("flatbed", "adf")  # read in this process once free
