"""Qt widgets, views and item models. No business rules: everything goes through desktop/ services."""
