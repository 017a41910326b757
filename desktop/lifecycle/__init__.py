"""A dossier after reception: the lifecycle state machine, clock, fees, results and returns (Qt-free)."""
