"""Queue screens: the counter panel (and, later, the kiosk and the display board)."""
