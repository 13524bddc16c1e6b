"""Deterministic ids of the streams a nomination leads to.

An award's id is derived from its nomination and candidate, and a
proposal's from its nomination and sequence number, so that:

- the handler finds every stream linked to a nomination without an index
  (the candidates' award streams; proposals 1, 2, … until an empty one);
- a second grant of the same candidate, or two concurrent forwards, append
  to a stream that already exists and lose on the event store's expected
  version (0 = new), even if a stale state let the decision through.

UUID 5 rather than concatenation: ids are free text, and ``"n-1" + "x-c"``
must never collide with ``"n-1-x" + "c"``.
"""

from __future__ import annotations

import uuid

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:tdkt:awards")
_SEP = "\x1f"  # unit separator: never typed in an id


def award_id_for(nomination_id: str, candidate_id: str) -> str:
    """The id of the award a candidate of a nomination receives, whoever confers it."""
    return "a-" + str(uuid.uuid5(_NAMESPACE, _SEP.join(("award", nomination_id, candidate_id))))


def proposal_id_for(nomination_id: str, sequence: int) -> str:
    """The id of the ``sequence``-th proposal (1, 2, …) forwarded from a nomination."""
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    return "pr-" + str(uuid.uuid5(_NAMESPACE, _SEP.join(("proposal", nomination_id, str(sequence)))))


def prior_award_id(recipient_kind: str, subject_id: str, award_code: str, year: int) -> str:
    """The id of an award entered from the files: one per recipient, code and achievement year."""
    key = _SEP.join(("prior", str(recipient_kind), subject_id, award_code, str(year)))
    return "a-" + str(uuid.uuid5(_NAMESPACE, key))
