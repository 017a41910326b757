"""The "Hồ sơ" area: the dossier list and the dossier page (the counter's workspace)."""
