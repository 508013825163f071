"""The store boundary: one small interface, three implementations (memory,
embedded SQLite, DynamoDB through pynamodb), one contract test suite."""

from skill.store.base import (
    Commit,
    CoupleStore,
    ProfileChange,
    StoredProfile,
    StoreError,
    StoreUnavailable,
    WriteConflict,
)

__all__ = [
    "Commit",
    "CoupleStore",
    "ProfileChange",
    "StoreError",
    "StoreUnavailable",
    "StoredProfile",
    "WriteConflict",
]
