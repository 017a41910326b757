"""The endpoints of the bundled dossier server: what each route of the contract does.

Each checks its input explicitly (``validation``), reads its body within its bound
(a JSON document, a whole file streamed to disk while hashed, or a chunk appended to its
upload session) and answers through ``RequestHandler``; writes go through ``_once``, which
binds the ``Idempotency-Key`` to the request.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qs

from desktop.dossier_server import validation as check
from desktop.dossier_server.routing import MAX_FORM_BODY, Answer, ClientGone, RequestHandler
from desktop.dossier_server.store import sha256_of
from desktop.dossier_server.validation import Invalid


class Handler(RequestHandler):
    def health(self) -> None:
        self._answer(200, {"status": "ok"})

    def token(self) -> None:
        try:
            form = parse_qs(self._read(MAX_FORM_BODY).decode("utf-8"), errors="strict")
        except (UnicodeDecodeError, ValueError):
            raise Invalid(400, "invalid_request", "the body must be an application/x-www-form-urlencoded form") from None
        if form.get("grant_type") != ["client_credentials"]:
            raise Invalid(400, "unsupported_grant_type", "grant_type must be client_credentials")
        ids, secrets_ = form.get("client_id", []), form.get("client_secret", [])
        if len(ids) != 1 or len(secrets_) != 1 or not self.server.credentials.accepts(ids[0], secrets_[0]):
            raise Invalid(401, "invalid_client", "unknown client or wrong secret")
        ttl = self.server.tokens.ttl
        self._answer(200, {"access_token": self.server.tokens.issue(), "token_type": "Bearer", "expires_in": int(ttl)})

    def get_dossier(self, code: str) -> None:
        found = self.server.store.dossier_view(code)
        if found is None:
            raise Invalid(404, "not_found", f"unknown dossier {code[:100]}")
        self._answer(200, found)

    def put_dossier(self, code: str) -> None:
        check.code(code)
        ws = check.workstation(self.headers.get("X-Workstation-Id"))
        key = check.idempotency_key(self.headers.get("Idempotency-Key"))
        doc, digest = self._json()

        def act() -> Answer:
            self.server.store.put_dossier(code, check.dossier(doc, code), ws)
            return 201, {"code": code}

        self._once(key, digest, act)

    def put_anchor(self, workstation: str) -> None:
        key = check.idempotency_key(self.headers.get("Idempotency-Key"))
        doc, digest = self._json()
        self._once(key, digest, lambda: self.server.store.put_anchor(workstation, check.anchor(doc, workstation)))

    def get_anchor(self, workstation: str) -> None:
        found = self.server.store.anchor(workstation)
        if found is None:
            raise Invalid(404, "not_found", f"no anchor of {workstation[:100]}")
        self._answer(200, found)

    # --- the national store: one citizen's documents, each look-up saying why ----------------

    def get_documents(self, id_number: str) -> None:
        """The signed documents of the citizen ``id_number`` (only theirs); an unknown one has none."""
        citizen = check.id_number(id_number)
        ws = check.workstation(self.headers.get("X-Workstation-Id"))
        why = check.purpose(self._query().get("purpose"))
        self._answer(200, {"id_number": citizen, "documents": self.server.store.documents(citizen, ws, why)})

    def get_document_file(self, id_number: str, doc_id: str) -> None:
        """The signed PDF of that citizen's document; 404 when it is unknown or another citizen's."""
        citizen, doc = check.id_number(id_number), check.document_id(doc_id)
        ws = check.workstation(self.headers.get("X-Workstation-Id"))
        why = check.purpose(self._query().get("purpose"))
        path = self.server.store.document_file(citizen, doc, ws, why)
        if path is None:  # the same answer for another citizen's: theirs is not confirmed to exist
            raise Invalid(404, "not_found", "no such document of this citizen")
        self._send_file(path)

    def post_status(self, code: str) -> None:
        check.code(code)
        ws = check.workstation(self.headers.get("X-Workstation-Id"))
        key = check.idempotency_key(self.headers.get("Idempotency-Key"))
        doc, digest = self._json()

        def act() -> Answer:
            st = check.status(doc)
            if not self.server.store.exists(code, ws):
                return 409, {"error": "unknown_dossier", "error_description": f"dossier {code[:100]} has not arrived"}
            self.server.store.add_status(code, st["seq"], st["status"], st.get("at"), st)
            return 201, {"status": st["status"]}

        self._once(key, digest, act)

    def put_file(self, code: str, sha256: str) -> None:
        check.code(code)
        ws = check.workstation(self.headers.get("X-Workstation-Id"))
        key = check.idempotency_key(self.headers.get("Idempotency-Key"))
        check.sha256_path(sha256)
        filename, meta = check.file_headers(self.headers.get("X-Filename"), self.headers.get("X-File-Meta"))
        if self._unread > self.server.max_file:
            raise Invalid(413, "too_large", f"a file above {self.server.max_file} bytes goes as an upload session "
                                            "(POST /api/dossiers/{code}/uploads)")
        store = self.server.store
        received = store.incoming()
        try:
            length = self._unread
            got, digest = self._stream(received, length)
            if got < length:
                raise ClientGone

            def act() -> Answer:
                if not store.exists(code, ws):
                    return 409, {"error": "unknown_dossier", "error_description": f"dossier {code[:100]} has not arrived"}
                if digest != sha256:
                    return 422, {"error": "sha256 mismatch", "error_description": "the body's SHA-256 differs",
                                 "received": digest}
                store.keep_file(received, digest)
                store.add_file(code, digest, filename, got, meta)
                return 201, {"sha256": digest}

            self._once(key, digest, act)
        finally:
            received.unlink(missing_ok=True)

    # --- resumable uploads ---------------------------------------------------------------

    def get_upload(self, upload_id: str) -> None:
        answer = self.server.store.upload_answer(upload_id)
        if answer is None:
            raise Invalid(404, "unknown_upload", "unknown upload session")
        self._answer(200, answer)

    def create_upload(self, code: str) -> None:
        """One session per (dossier, SHA-256, size): asking again returns it with its offset."""
        check.code(code)
        ws = check.workstation(self.headers.get("X-Workstation-Id"))
        key = check.idempotency_key(self.headers.get("Idempotency-Key"))
        doc, digest = self._json()

        def act() -> Answer:
            sha256, size = check.upload(doc)
            if size > self.server.max_upload:
                return 413, {"error": "too_large", "error_description": f"files above {self.server.max_upload} "
                                                                       "bytes are not accepted"}
            found = self.server.store.open_upload(code, sha256, size, ws)
            if found is None:
                return 409, {"error": "unknown_dossier", "error_description": f"dossier {code[:100]} has not arrived"}
            return 201, self.server.store.upload_answer(found) or {}

        # never replayed: the answer carries the session's offset, which moves on
        self._once(key, digest, act, replay=False)

    def put_chunk(self, upload_id: str) -> None:
        """Append ``Content-Range: bytes START-END/TOTAL`` at the session's offset.

        Every byte that arrives is kept, even when the connection breaks mid-body, so the
        client resumes from the offset the server reports instead of from the chunk's start.
        """
        store = self.server.store
        length = self._unread
        answer = store.upload_answer(upload_id)
        if answer is None:
            raise Invalid(404, "unknown_upload", "unknown upload session")
        start, _, total = check.content_range(self.headers.get("Content-Range"), length)
        if length > self.server.max_chunk:
            raise Invalid(413, "too_large", f"a chunk is at most {self.server.max_chunk} bytes")
        lock = store.upload_lock(upload_id)
        if not lock.acquire(blocking=False):
            raise Invalid(409, "upload_busy", "another request is writing this upload", offset=answer["offset"],
                          state=answer["state"])
        try:
            answer = store.upload_answer(upload_id) or answer
            if answer["state"] == "complete" or start != answer["offset"] or total != answer["size"]:
                raise Invalid(409, "offset mismatch", "START is not the session's offset (or TOTAL not its size)",
                              offset=answer["offset"], state=answer["state"])
            # a cut fault (or --cut-chunks) drops the connection after about half the body
            cut = self._chunk_cut or self.server.faults.take_chunk_cut(length)
            got, _ = self._stream(store.uploads / upload_id, length // 2 if cut else length, mode="ab")
            store.count_chunk(upload_id, got)
            if got < length:
                self._cut()
                return
            self._answer(200, {"upload_id": upload_id, "offset": start + got, "size": answer["size"]})
        finally:
            lock.release()

    def complete_upload(self, upload_id: str) -> None:
        ws = check.workstation(self.headers.get("X-Workstation-Id"))
        key = check.idempotency_key(self.headers.get("Idempotency-Key"))
        filename, meta = check.file_headers(self.headers.get("X-Filename"), self.headers.get("X-File-Meta"))
        digest = hashlib.sha256(self._read(check.MAX_JSON_BODY)).hexdigest()
        store = self.server.store

        def act() -> Answer:
            with store.upload_lock(upload_id):
                answer = store.upload_answer(upload_id)
                if answer is None:
                    return 404, {"error": "unknown_upload", "error_description": "unknown upload session"}
                store.exists(answer["dossier"], ws)  # CodeTaken when another workstation's dossier
                if answer["state"] != "complete":
                    if answer["offset"] != answer["size"]:
                        return 409, {"error": "upload incomplete", "error_description": "not all bytes have arrived",
                                     "offset": answer["offset"], "size": answer["size"]}
                    part = store.uploads / upload_id
                    part.touch()  # an empty file has no chunk: its session has no bytes on disk yet
                    whole = sha256_of(part)
                    if whole != answer["sha256"]:
                        part.unlink()  # start again from zero; the client decides whether to
                        return 422, {"error": "sha256 mismatch", "error_description": "the whole's SHA-256 differs",
                                     "received": whole}
                    store.keep_file(part, answer["sha256"])
                    store.mark_complete(upload_id)
                store.add_file(answer["dossier"], answer["sha256"], filename, answer["size"], meta)
            return 201, {"sha256": answer["sha256"], "size": answer["size"]}

        self._once(key, digest, act)
