"""The security tests use the awards tests' publisher of units events."""

from ..awards.conftest import publish

__all__ = ["publish"]
