"""The bundled dossier-system server: stores what it receives, deduplicates, checks hashes,
and injects faults on demand (HTTP 500/503, slow answers, connections cut, expired tokens).

It also answers as the national document store: one citizen's verified, reusable files,
by ID number, each look-up recorded with the workstation and its purpose.

Large files arrive as resumable upload sessions: the session (dossier, SHA-256, size)
keeps every byte received, even from a request cut mid-body, and reports its offset so
that the client goes on from there; completing it checks the SHA-256 of the whole.

The pieces: ``routing`` (HTTP mechanics, one JSON answer to every request),
``endpoints`` (what each route does), ``validation`` (the contract, checked explicitly), ``store`` (SQLite and the files), ``faults`` (injection),
``credentials`` (the generated client secret, tokens). Standard library only: it stands in
for the province's system in tests and the demo, on loopback; it is not meant to face the
internet.
"""

from __future__ import annotations

from http.server import ThreadingHTTPServer
from pathlib import Path

from desktop.dossier_server.credentials import CREDENTIALS_FILE, Credentials, Tokens
from desktop.dossier_server.endpoints import Handler
from desktop.dossier_server.faults import Fault, Faults, NationalFault, Schedule, check_options
from desktop.dossier_server.store import Store
from desktop.dossier_server.validation import MAX_UPLOAD_SIZE

__all__ = ["CREDENTIALS_FILE", "DossierServer", "Store"]
#: the largest file sent whole (the client sends files above 4 MiB as upload sessions)
MAX_FILE = 64 << 20
#: the largest chunk of an upload session (the client sends 1 MiB)
MAX_CHUNK = 16 << 20


class DossierServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, data: Path, fault_rate: float = 0.0, cut_chunks: int = 0,
                 slow_seconds: float = 1.5, *, max_file: int = MAX_FILE, max_chunk: int = MAX_CHUNK,
                 max_upload: int = MAX_UPLOAD_SIZE, fault_schedule: Schedule | None = None,
                 national_fault: NationalFault | None = None) -> None:
        """``fault_rate``: random faults; ``fault_schedule``: deterministic ones (see ``faults``);
        ``national_fault``: what every request to the national store's routes meets.

        A schedule's decisions are kept in the store (``--dump`` shows them under
        ``faults``), and a restarted server goes on with the schedule where it was.
        """
        # the fault options are checked before the port is bound (explicitly: python -O keeps it)
        check_options(fault_rate, fault_schedule, slow_seconds)
        super().__init__(("127.0.0.1", port), Handler)
        self.store = Store(data)
        self.credentials, self.new_credentials = Credentials.load_or_create(data)
        self.credentials_file = data / CREDENTIALS_FILE
        self.tokens = Tokens()
        if fault_schedule is None:
            self.faults = Faults(fault_rate, slow_seconds=slow_seconds, cut_chunks=cut_chunks)
        else:
            history = [(k, Fault(f) if f else None) for k, f in self.store.fault_history()]
            self.faults = Faults(schedule=fault_schedule, slow_seconds=slow_seconds, cut_chunks=cut_chunks,
                                 history=history, record=self.store.note_fault)
        self.national_fault = national_fault
        self.max_file, self.max_chunk, self.max_upload = max_file, max_chunk, min(max_upload, MAX_UPLOAD_SIZE)

    def server_close(self) -> None:
        super().server_close()
        self.store.close()
