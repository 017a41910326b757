"""The signing tests' real SoftHSM2 token and PKI, for the document store's tests."""

from tests.signing.conftest import _hsm_token, hsm, make_pdf, pki

__all__ = ["_hsm_token", "hsm", "make_pdf", "pki"]
