"""The sign-in warm-up imports what the flow would import on first use (ui/warm_up.py)."""

from __future__ import annotations

import sys

from ui.warm_up import MODULES, warm_up


def test_every_listed_module_exists_and_is_imported() -> None:
    # a renamed module would make the warm-up silently useless (it only logs): the list stays true
    assert warm_up() == len(MODULES) + 1  # and the throw-away receipt was rendered
    assert all(name in sys.modules for name in MODULES)


def test_the_warm_up_form_is_a_whole_receipt() -> None:
    """What the warm-up renders goes through everything the day's first receipt needs (fonts,
    QR, barcode, PDF/A): a failure there would only be logged."""
    from reportlab.pdfbase import pdfmetrics

    from desktop.forms.service import warm_up_forms
    from desktop.kernel.fonts import register_reportlab_fonts

    assert warm_up_forms() > 10_000
    assert set(register_reportlab_fonts()) <= set(pdfmetrics.getRegisteredFontNames())
