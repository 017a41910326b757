"""Dossier-system adapters: where outbox jobs are delivered."""
