"""Supervisor reports: queue, dossiers, satisfaction, the monthly PDF and exports (Qt-free).

Definitions are in docs/INDICATORS.md. Every figure is computed by the database
(aggregates, window functions, indexes), scoped by the reader's role in
:mod:`desktop.reports.scope`; the screens, the CLI and the PDF all call these modules.
"""
