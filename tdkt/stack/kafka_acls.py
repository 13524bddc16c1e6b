"""Who may do what on the broker: each service writes its own topics; an external subscriber reads the public ones.

Kafka's own authorizer (StandardAuthorizer) enforces these grants; anything
not granted is refused (``allow.everyone.if.no.acl.found=false``):

- a service (``units``, ``campaigns``, ``awards``) writes and creates only
  ``tdkt.<service>.*`` (its public and internal topics);
- every consuming service reads the topics it subscribes to, uses consumer
  groups named ``<service>-…``, and writes its own dead-letter topics
  ``tdkt.dlq.<service>-…``;
- the ``notifications`` service reads the three public topics and
  ``tdkt.awards.internal`` (the returns' reasons, the engine's assessments),
  never ``tdkt.units.internal``;
- the ``subscriber`` user (another ministry system) reads the three public
  topics with groups named ``subscriber…``; it cannot write anywhere, nor
  read ``tdkt.units.internal`` (discipline).

The grants are sent with the admin user through Kafka's CreateAcls request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.protocol.admin import CreateAclsRequest

from kernel.kafka_auth import KafkaCredentials, client_options

from .processes import StackError

PUBLIC_TOPICS = ("tdkt.units.events", "tdkt.campaigns.events", "tdkt.awards.events")
CONTEXT_TOPICS = tuple(f"tdkt.{c}.{a}" for c in ("units", "campaigns", "awards") for a in ("events", "internal"))
"""Every context's topics: created by the admin before the grants, so no service needs to create another's."""
READS: dict[str, tuple[str, ...]] = {
    "units": (),
    "campaigns": ("tdkt.units.events",),  # no discipline, no profile: its targets count public facts
    "awards": ("tdkt.units.events", "tdkt.units.internal", "tdkt.campaigns.events"),
    "reporting": PUBLIC_TOPICS,
    # The returns' reasons and the engine's assessments are for the unit that must fix its file and the
    # council that votes: the awards' internal topic, not the units' (discipline).
    "notifications": (*PUBLIC_TOPICS, "tdkt.awards.internal"),
}
"""The topics each service's consumers read."""
WRITES = ("units", "campaigns", "awards")
SUBSCRIBER = "subscriber"

_RESOURCE = {"topic": 2, "group": 3}
_PATTERN = {"literal": 3, "prefixed": 4}
_OPERATION = {"read": 3, "write": 4, "create": 5, "describe": 8}
_ALLOW = 3


@dataclass(frozen=True)
class Grant:
    """Allow ``user`` these operations on a topic or group (by exact name, or by name prefix)."""

    user: str
    resource: str
    name: str
    operations: tuple[str, ...]
    pattern: str = "literal"


def grants(prefix: str = "") -> list[Grant]:
    """Every grant of the system, for topics named with ``prefix``."""
    found: list[Grant] = []
    for service, reads in READS.items():
        if service in WRITES:
            found.append(Grant(service, "topic", f"{prefix}tdkt.{service}.", ("write", "create", "describe"),
                               "prefixed"))
        for topic in reads:
            found.append(Grant(service, "topic", prefix + topic, ("read", "describe")))
        if reads:
            found.append(Grant(service, "group", f"{prefix}{service}-", ("read", "describe"), "prefixed"))
            found.append(Grant(service, "topic", f"{prefix}tdkt.dlq.{service}-",
                               ("write", "create", "describe", "read"), "prefixed"))
    for topic in PUBLIC_TOPICS:
        found.append(Grant(SUBSCRIBER, "topic", prefix + topic, ("read", "describe")))
    found.append(Grant(SUBSCRIBER, "group", f"{prefix}{SUBSCRIBER}", ("read", "describe"), "prefixed"))
    return found


async def apply_grants(bootstrap_servers: str, admin: KafkaCredentials, to_apply: Iterable[Grant]) -> int:
    """Create the ACLs (idempotent: an ACL that exists is kept); the number created."""
    client = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, **client_options(admin))
    await client.start()
    created = 0
    try:
        for grant in to_apply:
            for operation in grant.operations:
                request = CreateAclsRequest(
                    _RESOURCE[grant.resource], grant.name, _PATTERN[grant.pattern], f"User:{grant.user}", "*",
                    _OPERATION[operation], _ALLOW,
                )
                # aiokafka has no public call for ACLs; its admin client sends the protocol request.
                response = await client._send_request(request)  # noqa: SLF001
                for error_code, message in response.creation_responses:
                    if error_code:
                        raise StackError(f"the broker refused the ACL {grant} {operation}: {error_code} {message}")
                created += 1
    finally:
        await client.close()
    return created


def grants_markdown(prefix: str = "") -> str:
    """The grants as a table (for the operator guide)."""
    lines = ["| user | resource | name | match | operations |", "|---|---|---|---|---|"]
    for g in grants(prefix):
        lines.append(f"| {g.user} | {g.resource} | `{g.name}` | {g.pattern} | {', '.join(g.operations)} |")
    return "\n".join(lines)
