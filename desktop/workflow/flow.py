"""The counter flow's rules, on plain data: what blocks "Receive", what is still missing for
a dossier, which slot comes next, what can be signed, and how far its upload has got.

A dossier's components are *slots*: what the procedure asks for (required or optional, the
kind of copy, how many, whether it must be digitized and signed) and what the dossier holds
(brought or not, its digitized files with their signature and upload states). Everything
here is a pure function of those values, so the screens, the CLI and the tests agree on
one answer and none of them needs a database or Qt (the reads are in
:mod:`desktop.workflow.workspace`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from desktop.db.models import SignatureState
from desktop.kernel.i18n import msg
from desktop.outbox.models import OutboxState


class SlotState(enum.StrEnum):
    """Where one component stands in the counter's work."""

    #: the citizen did not bring it (an optional component, or a supplement is requested)
    NOT_BROUGHT = "not_brought"
    #: brought, nothing to digitize (the procedure keeps only the paper)
    PAPER_ONLY = "paper_only"
    #: brought, to digitize, no page yet
    TO_DIGITIZE = "to_digitize"
    #: digitized, a copy still waits for the organization's signature
    TO_SIGN = "to_sign"
    #: a signature did not verify: sign again or re-scan
    INVALID = "invalid"
    #: every copy signed and verified (or exempt from signing)
    READY = "ready"


class UploadState(enum.StrEnum):
    """A file's (or the dossier's) way to the dossier system, as the officer sees it."""

    NOT_QUEUED = "not_queued"
    WAITING_SIGNATURE = "waiting_signature"
    QUEUED = "queued"
    SENDING = "sending"
    PARKED = "parked"
    SENT = "sent"


_FROM_OUTBOX = {OutboxState.WAITING: UploadState.WAITING_SIGNATURE, OutboxState.PENDING: UploadState.QUEUED,
                OutboxState.IN_FLIGHT: UploadState.SENDING, OutboxState.PARKED: UploadState.PARKED,
                OutboxState.DONE: UploadState.SENT,
                # only notices wait for a configuration; named for a total mapping
                OutboxState.UNCONFIGURED: UploadState.QUEUED}


def upload_state(outbox_state: str | None) -> UploadState:
    """The officer's name for an outbox job's state (None: no job, not queued)."""
    return UploadState.NOT_QUEUED if outbox_state is None else _FROM_OUTBOX[OutboxState(outbox_state)]


@dataclass(frozen=True)
class SlotSpec:
    """What the procedure asks for one component (copied onto the dossier at reception)."""

    code: str
    name: str
    required: bool = True
    must_digitize: bool = True
    must_sign: bool = True
    copy_kind: str = "original"
    quantity: int = 1


@dataclass(frozen=True)
class SlotFile:
    file_id: int
    filename: str
    pages: int
    signature: SignatureState
    upload: UploadState = UploadState.NOT_QUEUED
    #: why the upload is parked or waiting, in the user's language
    reason: str = ""


@dataclass(frozen=True)
class Slot:
    spec: SlotSpec
    brought: bool = True
    files: tuple[SlotFile, ...] = ()

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def pages(self) -> int:
        return sum(f.pages for f in self.files)

    @property
    def state(self) -> SlotState:
        if not self.brought and not self.files:
            return SlotState.NOT_BROUGHT
        if not self.files:
            return SlotState.TO_DIGITIZE if self.spec.must_digitize else SlotState.PAPER_ONLY
        if any(f.signature == SignatureState.INVALID for f in self.files):
            return SlotState.INVALID
        if self.spec.must_sign and any(f.signature != SignatureState.VERIFIED for f in self.files):
            return SlotState.TO_SIGN
        return SlotState.READY

    @property
    def upload(self) -> UploadState:
        """The slot's upload as a whole: its least advanced file (a parked one shows first)."""
        return overall_upload([f.upload for f in self.files])


_UPLOAD_ORDER = (UploadState.PARKED, UploadState.NOT_QUEUED, UploadState.WAITING_SIGNATURE, UploadState.QUEUED,
                 UploadState.SENDING, UploadState.SENT)


def overall_upload(states: Iterable[UploadState]) -> UploadState:
    """Several uploads seen as one: parked if any is parked, else the least advanced."""
    states = list(states)
    if not states:
        return UploadState.NOT_QUEUED
    return min(states, key=_UPLOAD_ORDER.index)


# --- before "Receive" ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceptionCheck:
    """What the ticked checklist allows: receive, or not yet and why."""

    missing_required: tuple[SlotSpec, ...]
    unknown: tuple[str, ...] = ()

    @property
    def can_receive(self) -> bool:
        return not self.missing_required and not self.unknown

    @property
    def reason(self) -> str:
        """Why "Receive" is blocked, in both languages ("" when it is not)."""
        if self.unknown:
            return msg("Thủ tục không có thành phần: {c}.", "The procedure has no component: {c}.",
                       c=", ".join(self.unknown))
        if not self.missing_required:
            return ""
        names = "; ".join(s.name for s in self.missing_required)
        return msg("Còn thiếu thành phần bắt buộc: {n}. Bổ sung giấy tờ, hoặc tiếp nhận và lập phiếu yêu cầu "
                   "bổ sung, hoàn thiện hồ sơ.",
                   "Required components are missing: {n}. Ask for them, or receive and issue the request to "
                   "complete the dossier.", n=names)


def check_reception(specs: Sequence[SlotSpec], brought: Iterable[str]) -> ReceptionCheck:
    """``brought``: codes of the components the citizen handed over. A procedure with no
    components can be received (its dossier holds the application alone)."""
    got = set(brought)
    codes = {s.code for s in specs}
    return ReceptionCheck(tuple(s for s in specs if s.required and s.code not in got),
                          tuple(sorted(got - codes)))


# --- after "Receive" -------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """The dossier's slots and what they add up to."""

    slots: tuple[Slot, ...]
    #: the dossier's own record at the dossier system (sent before any of its files)
    dossier_upload: UploadState = UploadState.NOT_QUEUED
    by_code: dict[str, Slot] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_code", {s.code: s for s in self.slots})

    @property
    def to_digitize(self) -> list[Slot]:
        """Brought, to be digitized, not yet: what the officer still has to scan."""
        return [s for s in self.slots if s.state == SlotState.TO_DIGITIZE]

    @property
    def missing_required(self) -> list[Slot]:
        """Required components the citizen has not brought (the supplement request lists them)."""
        return [s for s in self.slots if s.spec.required and s.state == SlotState.NOT_BROUGHT]

    def next_slot(self, after: str | None = None) -> Slot | None:
        """The next slot to digitize, in the procedure's order, starting after ``after`` and
        wrapping round, so F5 after a scan moves on and comes back to a skipped one."""
        todo = self.to_digitize
        if not todo:
            return None
        codes = [s.code for s in self.slots]
        if after in codes:
            start = codes.index(after)
            for s in todo:
                if codes.index(s.code) > start:
                    return s
        return todo[0]

    @property
    def to_sign(self) -> list[SlotFile]:
        """Every digitized copy "Sign the dossier" signs: unsigned or whose signature failed."""
        return [f for s in self.slots if s.spec.must_sign for f in s.files
                if f.signature in (SignatureState.UNSIGNED, SignatureState.INVALID)]

    @property
    def can_sign(self) -> bool:
        return bool(self.to_sign)

    @property
    def complete(self) -> bool:
        """Nothing left to scan or sign at the counter (missing paper aside)."""
        return all(s.state in (SlotState.READY, SlotState.PAPER_ONLY, SlotState.NOT_BROUGHT) for s in self.slots)

    @property
    def upload(self) -> UploadState:
        """The dossier's upload as a whole: its record and every file."""
        return overall_upload([self.dossier_upload, *(f.upload for s in self.slots for f in s.files)])

    def counts(self) -> tuple[int, int, int]:
        """(digitized, signed, uploaded) slots among those to digitize, for the list's column."""
        wanted = [s for s in self.slots if s.spec.must_digitize and s.state != SlotState.NOT_BROUGHT]
        digitized = sum(1 for s in wanted if s.files)
        signed = sum(1 for s in wanted if s.state == SlotState.READY)
        uploaded = sum(1 for s in wanted if s.files and s.upload == UploadState.SENT)
        return digitized, signed, uploaded


__all__ = ["Progress", "ReceptionCheck", "Slot", "SlotFile", "SlotSpec", "SlotState", "UploadState",
           "check_reception", "overall_upload", "upload_state"]
