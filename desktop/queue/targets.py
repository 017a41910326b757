"""The province's service targets as data: when a wait turns amber and red, when a service
runs long (Decision on serving citizens: wait ≤ 15 min, ~30 min per dossier).

Kept in the workstation settings (``extra["targets"]``, in minutes) so a centre can set its
own; the screens colour by :meth:`ServiceTargets.wait_level` / ``service_level``, the
reports count against the same numbers.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from desktop.kernel.errors import InvalidInput
from desktop.kernel.i18n import msg


class Level(enum.StrEnum):
    OK = "ok"
    WARN = "warn"  # getting close: call this one soon
    LATE = "late"  # over the target


@dataclass(frozen=True)
class ServiceTargets:
    wait_warn_s: int = 12 * 60
    wait_limit_s: int = 15 * 60
    service_limit_s: int = 30 * 60

    def wait_level(self, seconds: float) -> Level:
        return Level.LATE if seconds >= self.wait_limit_s else Level.WARN if seconds >= self.wait_warn_s else Level.OK

    def service_level(self, seconds: float) -> Level:
        return Level.LATE if seconds >= self.service_limit_s else Level.OK

    @classmethod
    def from_settings(cls, extra: dict[str, Any]) -> ServiceTargets:
        """From ``{"targets": {"wait_warn_min": 12, "wait_limit_min": 15, "service_limit_min": 30}}``."""
        conf = extra.get("targets") or {}
        if not isinstance(conf, dict):
            raise InvalidInput(msg("Cài đặt “targets” phải là một bảng giá trị.", "The “targets” setting must be a table."))
        d = cls()
        values = {}
        for key, default in (("wait_warn_min", d.wait_warn_s), ("wait_limit_min", d.wait_limit_s),
                             ("service_limit_min", d.service_limit_s)):
            raw = conf.get(key, default / 60)
            try:
                minutes = float(raw)
            except (TypeError, ValueError):
                raise InvalidInput(msg("Chỉ tiêu {k} = “{v}” không phải số phút.", "Target {k} = “{v}” is not a number of minutes.",
                                       k=key, v=raw)) from None
            if not 0 < minutes <= 24 * 60:
                raise InvalidInput(msg("Chỉ tiêu {k} = {v} phút nằm ngoài khoảng 0–1440.",
                                       "Target {k} = {v} min is outside 0–1440.", k=key, v=raw))
            values[key] = round(minutes * 60)
        if values["wait_warn_min"] > values["wait_limit_min"]:
            raise InvalidInput(msg("Ngưỡng cảnh báo chờ ({w} phút) lớn hơn chỉ tiêu chờ ({l} phút).",
                                   "The wait warning ({w} min) is above the wait target ({l} min).",
                                   w=values["wait_warn_min"] / 60, l=values["wait_limit_min"] / 60))
        return cls(values["wait_warn_min"], values["wait_limit_min"], values["service_limit_min"])
