"""Personal data of closed, delivered dossiers: what the workstation keeps, and for how long.

``purge`` deletes the local copies (scans, digitized and signed files, receipts, issued
forms, the embedded dossier-system folder's copy) and blanks the applicant's fields once a
dossier is closed and everything of it is delivered; what stays is what the statistics
and reports need (code, procedure, dates, status). The inventory is docs/PRIVACY.md.
"""
