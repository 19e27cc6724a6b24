"""SQLite storage: one place opens the database, applies migrations, and reads/writes sessions."""

from app.store.db import SCHEMA_VERSION, open_db
from app.store.repo import Store

__all__ = ["SCHEMA_VERSION", "Store", "open_db"]
