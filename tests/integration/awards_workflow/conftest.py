"""The awards service per test (with its workflow), and the publisher of the units and campaigns facts.

The fixtures are the awards service tests' own (``client``, ``publish``): the
same service, fed over Kafka the same way.
"""

from ..awards.conftest import client, publish

__all__ = ["client", "publish"]
