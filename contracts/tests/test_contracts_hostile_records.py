"""Whatever arrives on a topic, ``from_kafka`` answers an Envelope or InvalidEnvelope: never another error.

A subscriber that relies on that can dead-letter anything it cannot read
instead of stopping on it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from tdkt_contracts import Envelope, InvalidEnvelope, from_kafka

HEADER_NAMES = st.sampled_from(["ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_subject",
                                "ce_schemaversion", "ce_streamversion", "content-type"]) | st.text(max_size=12)
HEADER_VALUES = st.none() | st.binary(max_size=40) | st.sampled_from(
    [b"1.0", b"2026-11-24T10:00:00Z", b"vn.tdkt.units.unit.established", b"1", b"\xff\xfe", b""])


@settings(max_examples=400, deadline=None)
@given(value=st.none() | st.binary(max_size=300) | st.sampled_from([b"{}", b"[]", b"[" * 5000, b"null"]),
       headers=st.lists(st.tuples(HEADER_NAMES, HEADER_VALUES), max_size=10))
def test_any_record_is_an_envelope_or_invalid(value: bytes | None, headers: list[tuple[str, bytes | None]]) -> None:
    try:
        envelope = from_kafka(value, headers)  # type: ignore[arg-type]
    except InvalidEnvelope as error:
        assert str(error)
    else:
        assert isinstance(envelope, Envelope)


def test_a_header_that_is_not_utf8_is_named() -> None:
    try:
        from_kafka(b"{}", [("ce_specversion", b"1.0"), ("ce_type", b"\xff\xfe")])
    except InvalidEnvelope as error:
        assert "ce_type" in str(error) and "UTF-8" in str(error)
    else:
        raise AssertionError("a header that is not UTF-8 was accepted")
