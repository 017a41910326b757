"""The scanner list as both capture screens read it: one worker job (ui/workers.py) that asks
scanning.sources for the devices and their capabilities, and keeps the probe's problems
(a SANE backend that crashed the child probe, say) so the screen can tell them beside the
empty list instead of only logging them."""

from __future__ import annotations

from typing import Any, NamedTuple


class FoundSources(NamedTuple):
    sources: list[Any]  # scanning.sources.Source, in the order the probe listed them
    capabilities: dict[str, Any]  # source id → its capabilities, None when the device was busy
    problems: dict[str, str]  # the core's bilingual messages, by probe


def find_sources(cancel: Any, progress: Any, *, fresh: bool = False) -> FoundSources:
    """Worker job. `fresh` asks SANE anew (Refresh); otherwise its list is cached a minute."""
    from desktop.kernel.errors import MotcuaError
    from scanning.sources import discover

    # SANE's device list comes from a child process: a backend that crashes takes the probe,
    # not the application, and the problem comes back here to be shown
    discovery = discover(include_files=False, fresh=fresh)
    capabilities: dict[str, Any] = {}
    for source in discovery.sources:
        try:  # read on the worker, not the UI thread: opening a device takes a while
            capabilities[source.id] = source.capabilities
        except MotcuaError:
            capabilities[source.id] = None  # busy now; scanning will say why
    return FoundSources(list(discovery.sources), capabilities, dict(discovery.problems))
