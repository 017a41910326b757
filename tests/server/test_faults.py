"""The dossier server's fault schedule: the same seed gives the same faults, capped per key.

The outbox's kill-and-recover proof (tests/outbox/test_takeover.py) computes the longest its
recovery can take from the schedule; these tests hold the schedule to what that needs:
a pure function of (seed, request key, attempt) whatever the order or threads the requests
come in, no key failing more than the cap in a row, the share of faults at the rate asked,
every kind of fault, and options checked explicitly (also under ``python -O``).
"""

from __future__ import annotations

import random
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from desktop.dossier_server.faults import FAILING, KINDS, Fault, Faults, Schedule
from tests.outbox.test_http import ROOT, WORKSTATION, Server, dossier

SEED = 20261206


def _recorded(faults_of: dict[str, list[Fault | None]], lock: threading.Lock) -> Faults:
    """Faults on one schedule that write each decision down, per key, as the server's log does."""

    def record(key: str, attempt: int, fault: Fault | None) -> None:
        with lock:
            seen = faults_of.setdefault(key, [])
            assert attempt == len(seen) + 1
            seen.append(fault)

    return Faults(schedule=Schedule(SEED, 0.4, 2), slow_seconds=0, record=record)


def test_a_schedule_is_a_function_of_seed_key_and_attempt() -> None:
    requests = [f"key-{k}" for k in range(300) for _ in range(6)]
    in_order: dict[str, list[Fault | None]] = {}
    threaded: dict[str, list[Fault | None]] = {}
    first = _recorded(in_order, threading.Lock())
    for key in requests:
        first.draw(key)
    second = _recorded(threaded, threading.Lock())
    shuffled = random.Random(1).sample(requests, len(requests))
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(second.draw, shuffled))
    assert threaded == in_order
    schedule = Schedule(SEED, 0.4, 2)
    assert all(seen == schedule.sequence(key, 6) for key, seen in in_order.items())
    assert Schedule(SEED + 1, 0.4, 2).sequence("key-0", 50) != schedule.sequence("key-0", 50)
    # a restarted server goes on where the schedule was, not from the first attempt again
    resumed = Faults(schedule=schedule, slow_seconds=0,
                     history=[(k, f) for k, seen in in_order.items() for f in seen])
    assert all(resumed.draw(f"key-{k}") == _acted(schedule.sequence(f"key-{k}", 7)[6]) for k in range(300))


def _acted(fault: Fault | None) -> Fault | None:
    """What ``Faults.draw`` returns for a decision: a slow answer waits, then goes on."""
    return None if fault is Fault.SLOW else fault


@pytest.mark.parametrize(("rate", "cap"), [(0.3, 1), (0.3, 2), (0.5, 3), (0.15, 0), (0.05, 2)])
def test_the_cap_holds_and_the_share_of_faults_is_the_rate(rate: float, cap: int) -> None:
    """Asked again until it goes through, as the outbox does: no key fails more than ``cap`` times in a row."""
    schedule = Schedule(SEED, rate, cap)
    requests = faulted = longest = 0
    kinds: Counter[Fault | None] = Counter()
    for k in range(20000):
        run = 0
        for fault in schedule.sequence(f"job-{k}", cap + 1):
            requests, faulted = requests + 1, faulted + (fault is not None)
            kinds[fault] += 1
            if fault not in FAILING:
                break
            run += 1
        longest = max(longest, run)
    assert longest == cap
    assert abs(faulted / requests - rate) < 0.01, faulted / requests
    assert set(kinds) == ({None, *KINDS} if cap else {None, Fault.SLOW})
    # the cap also holds for a key asked many more times (replays of a request that went through)
    runs = [0]
    for fault in schedule.sequence("replayed", 5000):
        runs.append(runs[-1] + 1 if fault in FAILING else 0)
    assert max(runs) == cap


@pytest.mark.parametrize(("call", "message"), [
    (lambda: Schedule(-1, 0.3), "seed"),
    (lambda: Schedule(1 << 128, 0.3), "seed"),
    (lambda: Schedule(True, 0.3), "seed"),
    (lambda: Schedule(1, 1.5), "from 0 to 1"),
    (lambda: Schedule(1, float("nan")), "from 0 to 1"),
    (lambda: Schedule(1, 0.3, -1), "max_in_row"),
    (lambda: Schedule(1, 0.3, 0), "at most 0.20"),
    (lambda: Faults(-0.1), "from 0 to 1"),
    (lambda: Faults(0.3, schedule=Schedule(1, 0.3)), "own rate"),
    (lambda: Faults(0.3, slow_seconds=-1), "slow"),
])
def test_bad_fault_options_are_refused(call: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("flags", [[], ["-O"]], ids=["plain", "python-O"])
@pytest.mark.parametrize(("args", "message"), [
    (["--fault-rate", "1.5"], "from 0 to 1"),
    (["--fault-rate", "nan"], "from 0 to 1"),
    (["--fault-schedule", "x"], "whole number"),
    (["--fault-schedule", "-3"], "whole number"),
    (["--fault-schedule", "1", "--max-faults-in-row", "-1"], "whole number"),
    (["--fault-schedule", "1", "--fault-rate", "0.9", "--max-faults-in-row", "0"], "at most 0.20"),
    (["--fault-schedule", str(1 << 128)], "seed"),
    (["--slow", "-2"], "slow"),
    (["--fault-rate", "0.3", "--max-faults-in-row", "1"], "goes with --fault-schedule"),
    (["--national-fault", "418"], "invalid choice"),
    (["--describe", "not-a-sha256", "--number", "1"], "64 lower-case hex digits"),
    (["--describe", "a" * 64, "--valid-until", "31/12/2030"], "a date YYYY-MM-DD"),
])
def test_the_cli_refuses_bad_fault_options_before_serving(tmp_path: Path, flags: list[str], args: list[str],
                                                           message: str) -> None:
    r = subprocess.run([sys.executable, *flags, "-m", "desktop", "--data-dir", str(tmp_path / "home"),
                        "--lang", "en", "dossier-server", "--port", "0", "--data", str(tmp_path / "data"), *args],
                       capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.returncode != 0 and message in r.stderr + r.stdout, r.stdout + r.stderr


# --- two real servers --------------------------------------------------------------------


def _outcome(server: Server, token: str, code: str, key: str) -> str:
    try:
        r = httpx.put(f"{server.url}/api/dossiers/{code}", json=dossier(code), timeout=10,
                      headers={"Authorization": f"Bearer {token}", "X-Workstation-Id": WORKSTATION,
                               "Idempotency-Key": key})
    except httpx.TransportError:
        return "cut"
    return {201: "ok", 401: "expired"}.get(r.status_code, str(r.status_code))


def _by_key(server: Server) -> dict[str, list[str | None]]:
    out: dict[str, list[str | None]] = {}
    for entry in server.dump()["faults"]:
        out.setdefault(entry["key"], []).append(entry["fault"])
        assert entry["attempt"] == len(out[entry["key"]])
    return out


@pytest.fixture
def two(tmp_path: Path) -> Iterator[tuple[Server, Server]]:
    a = Server(tmp_path / "a", fault_rate=0.5, slow=0, fault_schedule=SEED, max_faults_in_row=2)
    try:
        b = Server(tmp_path / "b", fault_rate=0.5, slow=0, fault_schedule=SEED, max_faults_in_row=2)
        try:
            yield a, b
        finally:
            b.stop()
    finally:
        a.stop()


def test_two_servers_with_one_seed_fault_the_same_keys_alike(two: tuple[Server, Server]) -> None:
    a, b = two
    requests = [(f"D-{i}", f"key-{i}") for i in range(40) for _ in range(5)]
    token_a, token_b = a.token(), b.token()
    seen_a: dict[str, list[str]] = {}
    for code, key in requests:  # one after the other
        seen_a.setdefault(key, []).append(_outcome(a, token_a, code, key))
    seen_b: dict[str, list[str]] = {}
    shuffled = random.Random(2).sample(requests, len(requests))
    with ThreadPoolExecutor(8) as pool:  # shuffled, 8 at a time
        for (_, key), outcome in zip(shuffled, pool.map(lambda r: _outcome(b, token_b, *r), shuffled), strict=True):
            seen_b.setdefault(key, []).append(outcome)
    # what each key met is the same (in B the same key's requests race, so their answers come in any order)
    assert {k: Counter(v) for k, v in seen_a.items()} == {k: Counter(v) for k, v in seen_b.items()}
    logged = _by_key(a)
    assert logged == _by_key(b)
    schedule = Schedule(SEED, 0.5, 2)
    assert logged == {k: [None if f is None else str(f) for f in schedule.sequence(k, 5)] for k in logged}
    kinds = Counter(f for seq in logged.values() for f in seq)
    assert set(kinds) == {None, *(str(f) for f in KINDS)}, kinds
    # no key failed more than twice in a row, so each went through: every dossier stored, once
    assert all("ok" in v for v in seen_a.values()) and all("ok" in v for v in seen_b.values())
    assert [d["code"] for d in a.dump()["dossiers"]] == [d["code"] for d in b.dump()["dossiers"]]
    assert len(a.dump()["dossiers"]) == 40
