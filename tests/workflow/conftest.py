"""The signing tests' real token and PKI, and the bundled dossier server, for the workflow tests."""

from tests.outbox.test_http import Server
from tests.signing.conftest import _hsm_token, hsm, make_pdf, pki

__all__ = ["Server", "_hsm_token", "hsm", "make_pdf", "pki"]
