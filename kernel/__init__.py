"""The shared kernel: event store, outbox relay, consumer runtime, settings, logging.

Every service uses it; the hard parts of event-driven plumbing exist here once.
"""
