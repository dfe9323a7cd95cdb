"""Integration: what the hub tells sales channels (DESIGN.md §7, hardware/INTEGRATION.md).

- ``timeline``, ``sources``: an order's timeline, derived from what the hub records;
- ``subscriptions``: channels' webhook endpoints (URL, event types, signing secret);
- ``delivery``: the worker that sends the outbox (:mod:`wms.hub.outbox`), signed, at least
  once, in order per order, with retries, backoff and dead letters;
- ``messages``: the outbox as people see it: dead letters, re-sending;
- ``ats``: available to sell per product as a change feed with a cursor, and full exports.
"""
