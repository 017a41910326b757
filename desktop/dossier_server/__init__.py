"""A dossier-system server on loopback implementing docs/dossier-system.openapi.yaml (tests, demo)."""
