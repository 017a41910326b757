"""Batch signing: one login, progress, cancel, a damaged file alone fails, a pulled token stops cleanly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import signing.batch_signing as batch_mod
from desktop.kernel.errors import MotcuaError
from desktop.kernel.tasks import CancelToken
from signing.batch_signing import SignJob, sign_batch
from signing.pin_policy import PinFailures
from signing.verify import verify_pdf
from tests.signing.doubles import PullAfter
from tests.signing.hsm import HsmToken
from tests.signing.pki import TestPKI


def _jobs(make_pdf: Callable[..., Path], tmp_path: Path, n: int) -> list[SignJob]:
    return [SignJob(make_pdf(f"in{i}.pdf"), tmp_path / "out" / f"out{i}.pdf") for i in range(n)]


def _kwargs(hsm: HsmToken, **extra: Any) -> dict[str, Any]:
    return {"module_path": hsm.module, "token_label": hsm.label, "key_id": "01", "pin": hsm.pin, **extra}


def test_one_login_for_the_batch(hsm: HsmToken, make_pdf: Callable[..., Path], tmp_path: Path, pki: TestPKI,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    logins: list[str] = []
    real_login = batch_mod.login

    def counting_login(token: Any, pin: str, *a: Any, **kw: Any) -> Any:
        logins.append(token.label)
        return real_login(token, pin, *a, **kw)

    monkeypatch.setattr(batch_mod, "login", counting_login)
    seen: list[tuple[int, int]] = []
    jobs = _jobs(make_pdf, tmp_path, 5)
    res = sign_batch(jobs, **_kwargs(hsm), progress=lambda d, t, m="": seen.append((d, t)))
    assert logins == [hsm.label]
    assert res.ok and len(res.signed) == 5 and not res.unsigned
    assert seen[-1] == (5, 5) and all(t == 5 for _, t in seen)
    for j in jobs:
        assert verify_pdf(j.output, [pki.ca_pem]).ok
    d = res.to_dict()
    assert d["signed"] == 5 and d["results"][0]["status"] == "signed" and "Quy Nhơn" in d["signer"]


def test_cancel_keeps_what_is_signed(hsm: HsmToken, make_pdf: Callable[..., Path], tmp_path: Path) -> None:
    cancel = CancelToken()
    jobs = _jobs(make_pdf, tmp_path, 5)

    def progress(done: int, total: int, message: str = "") -> None:
        if done == 2:
            cancel.cancel()

    res = sign_batch(jobs, **_kwargs(hsm), cancel=cancel, progress=progress)
    assert res.cancelled and [r.status for r in res.results] == ["signed"] * 2 + ["unsigned"] * 3
    assert [j.output.exists() for j in jobs] == [True, True, False, False, False]


def test_damaged_file_fails_alone(hsm: HsmToken, make_pdf: Callable[..., Path], tmp_path: Path) -> None:
    jobs = _jobs(make_pdf, tmp_path, 3)
    jobs[1].input.write_bytes(b"%PDF-1.4\nthis is not a pdf")
    res = sign_batch(jobs, **_kwargs(hsm))
    assert [r.status for r in res.results] == ["signed", "failed", "signed"]
    assert "không phải PDF hợp lệ" in res.results[1].error and not jobs[1].output.exists()


def test_token_pulled_mid_batch_double(hsm: HsmToken, make_pdf: Callable[..., Path], tmp_path: Path,
                                       pki: TestPKI) -> None:
    """TEST DOUBLE: PullAfter raises DeviceRemoved after 3 signatures, as a pulled token does."""
    jobs = _jobs(make_pdf, tmp_path, 6)
    res = sign_batch(jobs, **_kwargs(hsm), session_wrapper=lambda s: PullAfter(s, 3))
    assert res.token_gone and "rút ra" in res.error
    assert [r.status for r in res.results] == ["signed"] * 3 + ["unsigned"] * 3
    for j in jobs[:3]:
        assert verify_pdf(j.output, [pki.ca_pem]).ok  # complete and valid
    assert not any(j.output.exists() for j in jobs[3:])
    assert not list((tmp_path / "out").glob(".*.part"))  # no partial file of the one in flight


def test_session_closed_under_the_batch(hsm: HsmToken, make_pdf: Callable[..., Path], tmp_path: Path) -> None:
    """The real module's own error: the session is closed (as a reader unplug does) after 2 files."""
    held: list[Any] = []
    jobs = _jobs(make_pdf, tmp_path, 4)

    def wrap(session: Any) -> Any:
        held.append(session)
        return session

    def progress(done: int, total: int, message: str = "") -> None:
        if done == 2 and held:
            held.pop().close()

    res = sign_batch(jobs, **_kwargs(hsm), session_wrapper=wrap, progress=progress)
    assert res.token_gone, res.to_dict()
    assert [r.status for r in res.results] == ["signed"] * 2 + ["unsigned"] * 2
    assert not any(j.output.exists() for j in jobs[2:])


def test_wrong_pin_touches_nothing(hsm: HsmToken, make_pdf: Callable[..., Path], tmp_path: Path) -> None:
    failures = PinFailures(tmp_path / "pins.json")
    jobs = _jobs(make_pdf, tmp_path, 2)
    with pytest.raises(MotcuaError, match="Sai mã PIN"):
        sign_batch(jobs, **_kwargs(hsm, pin="000000"), failures=failures)
    assert failures.count(hsm.serial) == 1 and not (tmp_path / "out").exists()
    assert "000000" not in (tmp_path / "pins.json").read_text()
    res = sign_batch(jobs, **_kwargs(hsm), failures=failures)
    assert res.ok and failures.count(hsm.serial) == 0
