"""Digital signatures: PKCS#11 tokens, PAdES signing with appearance profiles, verification.

Public entry points (Qt-free; the UI calls them from workers):

* ``signing.tokens.TokenManager(module_path).list_tokens()`` → ``TokenInfo`` (slot, label,
  serial, PIN flags, ``CertInfo`` list with CKA_ID and days to expiry); ``suggested_modules()``.
* ``signing.pin_policy.token_pin_state(...)`` → ``PinState`` (warning, tries left) before
  the PIN dialog; ``FinalTryNeedsConfirmation`` / ``TokenLocked`` from a login.
* ``signing.batch_signing.sign_batch(jobs, module_path=..., pin=..., cancel=..., progress=...)``
  → ``BatchResult`` (one login; per-file signed / failed / unsigned).
* ``signing.verify.verify_pdf(path, trust)`` → ``VerifyReport`` (``.ok``, ``.to_dict()``).
* dossier files are signed, verified and recorded by ``desktop.workflow.signing`` (the application layer).
* the test doubles (a locking token, a token pulled mid-batch) live in ``tests/signing/doubles.py``, out of the installed package.
"""
