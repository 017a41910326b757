"""Signing rules without Qt: the certificate a token offers, and why a request is blocked."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.auth import Actor, Role
from desktop.context import AppContext
from desktop.kernel.errors import InvalidInput
from desktop.workflow.signing import TokenChoice, may_sign_with, sign_files
from signing.appearance import get_profile
from signing.policy import SignBlock, pick_certificate, signing_block
from signing.tokens import CertInfo, PinFlags, TokenInfo


def _cert(kid: str, days: int, ku: list[str], key: bool = True) -> CertInfo:
    return CertInfo(f"CN={kid}", "CN=CA", "", "", ku, kid, days, common_name=kid, has_private_key=key)


def _token(*certs: CertInfo, locked: bool = False) -> TokenInfo:
    return TokenInfo(1, "T", "S", "m", "m", flags=PinFlags(locked=locked), certificates=list(certs))


def test_pick_certificate_prefers_the_configured_key_then_one_with_its_private_key() -> None:
    ca, no_key, good = _cert("ca", 900, ["key_cert_sign"]), _cert("02", 300, ["digital_signature"], False), \
        _cert("03", 100, ["non_repudiation"])
    t = _token(ca, no_key, good)
    assert pick_certificate([t])[1] is good
    assert pick_certificate([t], "02")[1] is no_key and pick_certificate([t], "0 2")[1] is no_key
    assert pick_certificate([_token(ca)]) == (pick_certificate([_token(ca)])[0], None)
    assert pick_certificate([]) == (None, None)


def test_each_block_in_the_order_an_officer_fixes_them() -> None:
    profile = get_profile("copy")
    good = _cert("01", 100, ["digital_signature"])
    base = dict(files=2, profile=profile, role_allowed=True, level="B-B", tsa_url="", module_path="/lib/p11.so",
                token=_token(good), certificate=good)
    assert signing_block(**base) is None  # type: ignore[arg-type]
    cases = [
        (dict(files=0), SignBlock.NO_FILES), (dict(profile=None), SignBlock.NO_PROFILE),
        (dict(role_allowed=False), SignBlock.ROLE), (dict(level="B-T"), SignBlock.NO_TSA),
        (dict(level="B-LT", tsa_url="  "), SignBlock.NO_TSA), (dict(module_path=""), SignBlock.NO_MODULE),
        (dict(token=None), SignBlock.NO_TOKEN), (dict(certificate=None), SignBlock.NO_CERTIFICATE),
        (dict(certificate=_cert("01", -1, ["digital_signature"])), SignBlock.CERT_EXPIRED),
        (dict(certificate=_cert("01", 10, ["key_encipherment"])), SignBlock.CERT_NOT_FOR_SIGNING),
        (dict(token=_token(good, locked=True)), SignBlock.TOKEN_LOCKED),
    ]
    for change, expected in cases:
        assert signing_block(**{**base, **change}) == expected, change  # type: ignore[arg-type]
    # several problems: the first one is named
    assert signing_block(**{**base, "files": 0, "module_path": ""}) == SignBlock.NO_FILES  # type: ignore[arg-type]


def test_roles_and_profiles() -> None:
    officer, postal = Actor("lan", Role.COUNTER_OFFICER), Actor("bd", Role.POSTAL_AGENT)
    assert may_sign_with(officer, get_profile("copy")) and may_sign_with(officer, get_profile("personal"))
    assert not may_sign_with(postal, get_profile("copy")) and may_sign_with(postal, get_profile("personal"))


def test_a_timestamped_level_without_tsa_is_refused_before_the_token(ctx: AppContext, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="B-T"):
        sign_files(ctx.db, ctx.audit, Actor.cli(), [1], TokenChoice(module_path="/nonexistent.so", level="B-T"), "0000")
