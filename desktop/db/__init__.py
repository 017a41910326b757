"""Database access: the declarative base, engine creation and migrations."""

from desktop.db.base import Base
from desktop.db.engine import Database

__all__ = ["Base", "Database"]
