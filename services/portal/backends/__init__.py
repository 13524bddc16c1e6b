"""One small client per backend service, each calling it with the signed-in person's own token."""

from .base import Backend, BackendError, Refused

__all__ = ["Backend", "BackendError", "Refused"]
