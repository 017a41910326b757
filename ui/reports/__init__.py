"""Reports area and the floor manager's live dashboard (figures from ``desktop.reports``)."""
