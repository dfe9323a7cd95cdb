"""The hub: the back end on PostgreSQL that terminals sync with, and the back office.

A map, lowest layer last (import-linter holds it, see pyproject.toml):

- ``cli/``, ``api/``: the command line and the HTTP API; they translate, they hold no rules.
- ``demo``, ``imports``: the demo warehouse, and CSV/JSON imports of master data and documents.
- ``integration/``: what sales channels are told: order timelines, webhook subscriptions and
  delivery, the available-to-sell feed and exports.
- ``supervision/``: decisions (clearance, recalls, exception resolutions), the scorecard.
- ``sync/``: device enrolment, ingest of pushed ops as facts, the pull feed's reading side.
- ``customs/``: cross-border customs for bonded retail (1210): the warehouse's customs codes and
  products' customs data, import lists declared at packing (CEB621, checked against the
  official schema), receipts gating dispatch, cancel and return requests, the bonded ledger
  and its daily reconciliation; sync's ingest tells it what the floor packed, opened, shipped
  and took back.
- ``shipping/``: carriers and their number pools, the blocks handed to packing terminals,
  parcels, bookings with carriers (online and in the background), loads, manifests; sync's
  ingest tells it what the floor packed, loaded and shipped.
- ``planning/``: orders, allocation (reservations), waves and pick tasks, cancelling,
  replenishment, count plans, available to sell; sync's ingest tells it what the floor did.
- ``documents``, ``master``: documents travel whole; master rows are upserted by natural key.
- ``feed``: every write a terminal must see moves one ``change`` row forward.
- ``schema``, ``db``, ``settings``, ``logs``: tables, the database, settings, logging;
  ``outbox``: events written with the change that makes them (any part may enqueue).
"""
