"""Digital signatures: PKCS#11 tokens, PAdES signing with appearance profiles, verification."""
