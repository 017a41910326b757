"""Import the counter flow's heavy modules on a worker while the officer has just signed in.

Measured (bench/flow_bench.py): the first scan's PDF and the first signature imported the
PDF pipeline (pikepdf) and pyHanko with its cryptography bindings when the officer first
used them; a C extension's initialisation holds the GIL for tens of milliseconds, so even
on a worker thread it froze the window (gaps of 125–139 ms during the flow). Imported once
right after the main window shows, the same cost falls in the seconds before the first
call, and the flow's longest gap halves. Then one receipt is rendered in memory and thrown
away (:func:`desktop.forms.service.warm_up_forms`): the first form of a process cost about a
second (fonts parsed, QR and barcode code, the PDF/A pass), and it is the day's first
receipt. Nothing is opened or started; the main window builds the flow's screens when this
is done.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

log = logging.getLogger(__name__)

#: what the flow imports on first use: the PDF/A pipeline, the PAdES signing and its
#: verification (whose libraries signing/ imports inside its functions), the PIN dialog
MODULES = ("scanning.pipeline", "signing.batch_signing", "signing.verify", "ui.pin_dialog",
           "pikepdf", "pkcs11", "asn1crypto.x509", "cryptography.x509", "pyhanko.sign", "pyhanko.sign.pkcs11",
           "pyhanko.sign.validation", "pyhanko.sign.validation.dss", "pyhanko.stamp",
           "pyhanko.pdf_utils.incremental_writer", "pyhanko.pdf_utils.reader", "pyhanko.pdf_utils.font.opentype",
           "pyhanko_certvalidator",
           # the screens the main window then builds at idle (ui/main_window.py PREBUILT_AREAS):
           # their modules' import is half their first build, and needs no UI thread
           "ui.reception_view", "ui.dossiers.area", "ui.scan_view")


def warm_up(_cancel: Any = None, _progress: Any = None) -> int:
    """Import :data:`MODULES` (a worker's function: ``workers.run(warm_up, ...)``)."""
    done = 0
    for name in MODULES:
        try:
            importlib.import_module(name)
            done += 1
        except Exception as exc:  # noqa: BLE001 - a missing optional part shows when it is used, not here
            log.info("warm-up could not import %s: %s", name, exc)
    try:
        from desktop.forms.service import warm_up_forms

        warm_up_forms()
        done += 1
    except Exception as exc:  # noqa: BLE001 - a broken form shows when it is printed, with its message
        log.info("warm-up could not render a form: %s", exc)
    return done


__all__ = ["MODULES", "warm_up"]
