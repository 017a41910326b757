"""Service targets as settings data: defaults, a centre's own numbers, bad values refused."""

from __future__ import annotations

import pytest

from desktop.kernel.errors import InvalidInput
from desktop.queue.targets import Level, ServiceTargets


def test_defaults_are_the_provinces_targets() -> None:
    t = ServiceTargets.from_settings({})
    assert (t.wait_warn_s, t.wait_limit_s, t.service_limit_s) == (720, 900, 1800)
    assert [t.wait_level(s) for s in (0, 719, 720, 899, 900, 5000)] == [
        Level.OK, Level.OK, Level.WARN, Level.WARN, Level.LATE, Level.LATE]
    assert (t.service_level(1799), t.service_level(1800)) == (Level.OK, Level.LATE)


def test_a_centre_sets_its_own() -> None:
    t = ServiceTargets.from_settings({"targets": {"wait_warn_min": 8, "wait_limit_min": "10", "service_limit_min": 20.5}})
    assert (t.wait_warn_s, t.wait_limit_s, t.service_limit_s) == (480, 600, 1230)
    assert t.wait_level(500) == Level.WARN and t.wait_level(600) == Level.LATE


@pytest.mark.parametrize("conf", [{"wait_limit_min": "mười"}, {"wait_warn_min": 0}, {"service_limit_min": -5},
                                  {"wait_warn_min": 20, "wait_limit_min": 15}, {"wait_limit_min": 99999}])
def test_bad_values_are_refused_with_the_key(conf: dict[str, object]) -> None:
    with pytest.raises(InvalidInput) as e:
        ServiceTargets.from_settings({"targets": conf})
    assert any(k.replace("_min", "") in str(e.value) or k in str(e.value) for k in conf) or "cảnh báo" in str(e.value)


def test_a_non_table_is_refused() -> None:
    with pytest.raises(InvalidInput):
        ServiceTargets.from_settings({"targets": [15]})
