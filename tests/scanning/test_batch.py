"""The scan batch: arranging pages before the PDF, previews that arrive late."""

from __future__ import annotations

import os

import numpy as np
import pytest

from desktop.kernel.errors import InvalidInput
from scanning.images import Page
from scanning.page_pool import PagePool
from scanning.samples import DOCUMENTS, render
from scanning.scan_batch import BatchPage, ScanBatch, preview, preview_image


def _page(n: int) -> Page:
    return Page(np.full((40, 30), n, np.uint8), 300.0, f"p{n}")


def test_reorder_rotate_delete_replace() -> None:
    b = ScanBatch()
    keys = [b.add(_page(i)).key for i in range(4)]
    b.move(keys[3], 0)
    assert [p.page.source for p in b.pages] == ["p3", "p0", "p1", "p2"]
    b.order([keys[0], keys[1], keys[2], keys[3]])
    b.rotate(keys[1], 90)
    assert b.get(keys[1]).image().shape == (30, 40)
    b.rotate(keys[1], 270)
    assert b.get(keys[1]).turns == 0
    b.delete(keys[2])
    new = b.replace(keys[0], _page(9))
    assert [p.page.source for p in b.pages] == ["p9", "p1", "p3"] and new.key not in keys
    with pytest.raises(InvalidInput):
        b.order(keys)
    with pytest.raises(InvalidInput):
        b.delete(keys[2])
    assert [p.source for p in b.to_pages()] == ["p9", "p1", "p3"]
    b.clear()
    with pytest.raises(InvalidInput, match="Chưa có trang"):
        b.to_pages()


def test_preview_of_a_turned_or_deleted_page_is_dropped() -> None:
    b = ScanBatch()
    upside_down = Page(np.ascontiguousarray(np.rot90(render(DOCUMENTS["cu_tru"]), 2)), 150.0, "a")
    item = b.add(upside_down)
    result = preview(item)
    assert "rotate 180°" in result.steps and "low_dpi" in [i.code for i in result.issues]
    b.rotate(item.key, 90)
    assert b.apply(result) is None and b.get(item.key).steps is None  # computed for the old turn
    assert b.apply(preview(b.get(item.key))) is item and item.badges == ["low_dpi"]
    b.delete(item.key)
    assert b.apply(result) is None


def test_changing_the_clean_up_options_makes_every_preview_stale() -> None:
    # issue 11: a new profile left the old previews on screen, so the preview differed from the PDF
    from scanning.cleanup import CleanOptions

    b = ScanBatch()
    upside_down = Page(np.ascontiguousarray(np.rot90(render(DOCUMENTS["cu_tru"]), 2)), 150.0, "a")
    item = b.add(upside_down)
    old = preview(item)
    assert b.apply(old) is item and "rotate 180°" in (item.steps or [])
    plain = CleanOptions(orientation=False, deskew=False, denoise=False)
    assert b.set_options(plain) == [item.key] and item.steps is None
    assert b.set_options(plain) == []  # the same options again: nothing to redo
    assert b.apply(old) is None and item.steps is None  # made with the old options
    new = preview(item, plain)
    assert b.apply(new) is item and "rotate 180°" not in (item.steps or [])


def test_a_preview_is_made_in_a_page_worker_process_as_on_a_thread() -> None:
    """The scan screen's previews run in the page workers (PagePool.call): plain data in and
    out, the same answer as the thread's, from another process."""
    page = BatchPage(Page(render(), 300.0, "test"), turns=90)
    here = preview(page, None)
    with PagePool(1) as pool:
        assert pool.call(os.getpid).result() != os.getpid()
        there = pool.call(preview_image, page.key, page.turns, page.image(), page.page.dpi, None).result()
    assert (there.key, there.turns, there.steps, there.issues) == (here.key, here.turns, here.steps, here.issues)
    assert there.after_thumb is not None and there.after_thumb.shape == here.after_thumb.shape
