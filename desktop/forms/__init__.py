"""The seven forms of Circular 03/2025/TT-VPCP (Appendix I) as versioned templates (Qt-free).

Texts and versions are data (``resources/forms/forms.json``; an administrator's copy in
``<data dir>/forms/forms.json`` wins); layouts are reportlab code (``layout.py``). Every
form comes out as PDF/A-2b through one function (:func:`desktop.forms.pdfa.to_pdfa`).
"""
