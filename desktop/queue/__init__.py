"""The centre's queue: services, counters, tickets and their append-only events."""
