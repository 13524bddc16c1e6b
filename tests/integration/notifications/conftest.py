"""The awards service's fixtures (``client``, ``publish``) for the notifications tests: the same service, in
process on the real stack, whose events the notifications service (a process of its own) consumes."""

from ..awards.conftest import client, publish

__all__ = ["client", "publish"]
