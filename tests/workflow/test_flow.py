"""The counter flow's rules on plain values: what blocks "Receive", which slot is next,
what "Sign the dossier" signs, how far the upload has got."""

from __future__ import annotations

from desktop.db.models import SignatureState
from desktop.workflow.flow import (
    Progress,
    Slot,
    SlotFile,
    SlotSpec,
    SlotState,
    UploadState,
    check_reception,
    overall_upload,
    upload_state,
)

TK = SlotSpec("TK", "Tờ khai")
GCS = SlotSpec("GCS", "Giấy chứng sinh")
GTTT = SlotSpec("GTTT", "Giấy tờ tùy thân", must_digitize=False)
UQ = SlotSpec("UQ", "Văn bản ủy quyền", required=False)
SPECS = [TK, GCS, GTTT, UQ]


def _file(i: int, sig: SignatureState = SignatureState.UNSIGNED, up: UploadState = UploadState.WAITING_SIGNATURE,
          pages: int = 1) -> SlotFile:
    return SlotFile(i, f"f{i}.pdf", pages, sig, up)


def test_a_missing_required_component_blocks_reception_with_its_name() -> None:
    check = check_reception(SPECS, {"TK", "GTTT"})
    assert not check.can_receive
    assert [s.code for s in check.missing_required] == ["GCS"]
    assert "Giấy chứng sinh" in check.reason


def test_optional_components_may_be_left_out_and_a_procedure_without_components_is_received() -> None:
    assert check_reception(SPECS, {"TK", "GCS", "GTTT"}).can_receive
    assert check_reception([], set()).can_receive


def test_a_component_the_procedure_does_not_have_is_refused_not_silently_dropped() -> None:
    check = check_reception(SPECS, {"TK", "GCS", "GTTT", "XX"})
    assert not check.can_receive and check.unknown == ("XX",)


def test_slot_states_follow_files_and_signatures() -> None:
    assert Slot(UQ, brought=False).state == SlotState.NOT_BROUGHT
    assert Slot(GTTT).state == SlotState.PAPER_ONLY
    assert Slot(TK).state == SlotState.TO_DIGITIZE
    assert Slot(TK, files=(_file(1),)).state == SlotState.TO_SIGN
    assert Slot(TK, files=(_file(1, SignatureState.VERIFIED),)).state == SlotState.READY
    assert Slot(TK, files=(_file(1, SignatureState.VERIFIED), _file(2, SignatureState.INVALID))).state == \
        SlotState.INVALID
    exempt = SlotSpec("X", "Exempt", must_sign=False)
    assert Slot(exempt, files=(_file(1),)).state == SlotState.READY


def test_next_slot_moves_on_after_a_scan_and_comes_back_to_a_skipped_one() -> None:
    p = Progress((Slot(TK), Slot(GCS), Slot(GTTT), Slot(UQ, brought=False)))
    assert p.next_slot().code == "TK"  # type: ignore[union-attr]
    assert p.next_slot(after="TK").code == "GCS"  # type: ignore[union-attr]
    assert p.next_slot(after="GCS").code == "TK"  # type: ignore[union-attr]  # wraps round; GTTT is paper only
    done = Progress((Slot(TK, files=(_file(1),)), Slot(GCS, files=(_file(2),)), Slot(GTTT), Slot(UQ, brought=False)))
    assert done.next_slot() is None
    assert [s.code for s in done.to_digitize] == []


def test_sign_takes_unsigned_and_failed_copies_of_slots_that_must_be_signed() -> None:
    exempt = SlotSpec("X", "Exempt", must_sign=False)
    p = Progress((Slot(TK, files=(_file(1), _file(2, SignatureState.VERIFIED))),
                  Slot(GCS, files=(_file(3, SignatureState.INVALID),)), Slot(exempt, files=(_file(4),))))
    assert [f.file_id for f in p.to_sign] == [1, 3]
    assert p.can_sign and not p.complete


def test_missing_required_lists_what_the_supplement_request_asks_for() -> None:
    p = Progress((Slot(TK, files=(_file(1),)), Slot(GCS, brought=False), Slot(UQ, brought=False)))
    assert [s.code for s in p.missing_required] == ["GCS"]


def test_upload_state_is_the_least_advanced_and_parked_shows_first() -> None:
    assert overall_upload([]) == UploadState.NOT_QUEUED
    assert overall_upload([UploadState.SENT, UploadState.QUEUED]) == UploadState.QUEUED
    assert overall_upload([UploadState.SENT, UploadState.PARKED, UploadState.WAITING_SIGNATURE]) == UploadState.PARKED
    assert upload_state(None) == UploadState.NOT_QUEUED
    assert upload_state("done") == UploadState.SENT
    p = Progress((Slot(TK, files=(_file(1, SignatureState.VERIFIED, UploadState.SENT),)),),
                 dossier_upload=UploadState.SENT)
    assert p.upload == UploadState.SENT and p.complete
    assert p.counts() == (1, 1, 1)
