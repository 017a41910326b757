"""Signing rules that do not depend on who is asking: which certificate a token offers,
and why a signing request cannot go ahead (as reason codes the screens render).

The role check (who may sign with which profile) needs the application's roles and is
made by ``desktop.workflow.signing``; its answer comes in as ``role_allowed``.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from signing.appearance import Profile
from signing.tokens import CertInfo, TokenInfo

#: below this many days left, the status bar warns about the certificate's expiry
WARN_DAYS = 30
#: PAdES levels that need a time-stamp server
TIMESTAMPED_LEVELS = ("B-T", "B-LT")


class SignBlock(enum.StrEnum):
    NO_FILES = "no_files"
    NO_PROFILE = "no_profile"
    ROLE = "role"
    NO_TSA = "no_tsa"
    NO_MODULE = "no_module"
    NO_TOKEN = "no_token"
    NO_CERTIFICATE = "no_certificate"
    CERT_EXPIRED = "cert_expired"
    CERT_NOT_FOR_SIGNING = "cert_not_for_signing"
    TOKEN_LOCKED = "token_locked"


def _normal(key_id: str | None) -> str:
    return (key_id or "").lower().replace(":", "").replace(" ", "")


def pick_certificate(tokens: Sequence[TokenInfo], key_id: str | None = None
                     ) -> tuple[TokenInfo, CertInfo] | tuple[TokenInfo | None, None]:
    """The (token, certificate) to sign with or show: the configured CKA_ID, else the
    first signing certificate with its key, else the first signing certificate (CA
    certificates that vendors store beside the key are skipped)."""
    wanted = _normal(key_id)
    ranked: list[tuple[int, TokenInfo, CertInfo]] = []
    for t in tokens:
        for c in t.certificates:
            if wanted and c.key_id.lower() == wanted:
                return t, c
            if "key_cert_sign" in c.key_usage:
                continue
            rank = 0 if c.has_private_key and c.can_sign else 1 if c.can_sign else 2
            ranked.append((rank, t, c))
    if not ranked:
        return (tokens[0], None) if tokens else (None, None)
    ranked.sort(key=lambda x: x[0])
    return ranked[0][1], ranked[0][2]


def signing_block(*, files: int, profile: Profile | None, role_allowed: bool, level: str, tsa_url: str | None,
                  module_path: str | None, token: TokenInfo | None, certificate: CertInfo | None) -> SignBlock | None:
    """The first reason the request cannot be signed now, in the order an officer fixes them."""
    if files <= 0:
        return SignBlock.NO_FILES
    if profile is None:
        return SignBlock.NO_PROFILE
    if not role_allowed:
        return SignBlock.ROLE
    if level in TIMESTAMPED_LEVELS and not (tsa_url or "").strip():
        return SignBlock.NO_TSA
    if not module_path:
        return SignBlock.NO_MODULE
    if token is None:
        return SignBlock.NO_TOKEN
    if certificate is None:
        return SignBlock.NO_CERTIFICATE
    if certificate.days_to_expiry < 0:
        return SignBlock.CERT_EXPIRED
    if not certificate.can_sign:
        return SignBlock.CERT_NOT_FOR_SIGNING
    if token.locked:
        return SignBlock.TOKEN_LOCKED
    return None
