"""The retention purge the running application does by itself, once a day.

When the administrator sets ``storage.retention_days``, the personal data of dossiers
closed (and delivered) longer ago than that must go without anyone remembering to run
``motcua privacy purge``. The application shell calls :func:`scheduled_purge` now and
then; it purges at most once per Vietnam calendar day per workstation, as the built-in
``retention`` actor (so the audit chain tells an automatic purge from an officer's). The
day of the last complete run is kept in the private directory: a run that failed or was
cancelled leaves it unchanged, so the next call tries again. A workstation whose clock
was set back past that day simply purges again (a purge is idempotent). It is the whole
purge: the copies taken from the national store that no kept dossier uses go too.
"""

from __future__ import annotations

import logging
import os
import tempfile
from datetime import date
from pathlib import Path

from desktop.auth import Actor
from desktop.config import Settings
from desktop.kernel.files import private_dir, replace_durably
from desktop.kernel.tasks import CancelToken
from desktop.kernel.timeutil import now_vn
from desktop.privacy.purge import PrivacyService, PurgeReport, cutoff

log = logging.getLogger(__name__)

MARKER = "last-purge"


def last_purge(settings: Settings) -> date | None:
    """The day of the last complete scheduled purge on this workstation, if any."""
    try:
        return date.fromisoformat((settings.private_dir / MARKER).read_text(encoding="utf-8").strip())
    except (OSError, ValueError):  # never run, or a damaged marker: run again
        return None


def _mark(settings: Settings, day: date) -> None:
    folder = private_dir(settings.private_dir)  # a centre's PostgreSQL workstation may not have it yet
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{MARKER}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(day.isoformat() + "\n")
        replace_durably(tmp, folder / MARKER, private=True)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)  # gone already if only the folder's fsync failed
        raise


def purge_due(settings: Settings, today: date | None = None) -> bool:
    """Whether :func:`scheduled_purge` would purge now."""
    return settings.retention_days > 0 and last_purge(settings) != (today or now_vn().date())


def scheduled_purge(privacy: PrivacyService, settings: Settings, *, today: date | None = None,
                    cancel: CancelToken | None = None) -> PurgeReport | None:
    """Purge what the retention setting says has been kept long enough, once a day.

    ``None`` when there is nothing to do (no retention period set, or done today)."""
    day = today or now_vn().date()
    if not purge_due(settings, day):
        return None
    report = privacy.purge(Actor.retention(), cutoff(settings, None, day), cancel=cancel)
    _mark(settings, day)
    if report.items or report.appointments or report.national_copies:
        log.info("retention purge (closed before %s): %d dossiers, %d bookings, %d national-store copies",
                 report.before, len(report.items), report.appointments, len(report.national_copies))
    if report.undelivered:
        log.warning("retention purge: %d closed dossiers kept until their uploads are delivered",
                    len(report.undelivered))
    return report
