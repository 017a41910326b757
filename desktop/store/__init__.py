"""The citizen's document store (Circular 01/2023/TT-VPCP art. 23): every signed, verified
digitized document and every signed result, indexed per citizen (ID number) and organisation
(tax code), so that what was digitized once is offered again instead of scanned again.

``models`` holds the index table; ``service`` indexes (called by the one signing path when
a file verifies), offers and lists (each look-up audited) and reuses (re-verifying the
stored signature first)."""
