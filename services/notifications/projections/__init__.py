"""The notifications service's tables and every SQL statement on them (:mod:`.tables`, :mod:`.outbox`)."""
