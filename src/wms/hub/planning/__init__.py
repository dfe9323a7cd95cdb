"""Outbound planning: the hub turns customer orders into floor work (DESIGN.md §7).

A map, in the order work flows:

- ``orders``, ``intake``, ``channels``: orders as posted, taken idempotently, from channels
  scoped to their warehouses;
- ``allocation``, ``reservations``, ``reconcile``: stock reserved under lock, never twice;
- ``order_state``, ``available``: where each order stands; available to sell, derived;
- ``waves``, ``tasks``: open orders released to the floor as single-order or cluster tasks;
- ``floor``: what pushed picks, moves and counts do to the plan (called by sync's ingest);
- ``cancel``: withdrawing an order until it is packed;
- ``moves``, ``replenishment``: move tasks (replenishment, put-back) and pick-face min/max;
- ``counts``: cycle count plans and their coverage.

The pure rules (FEFO and shelf life at dispatch, face before reserve, cluster carts, walk order,
ABC classes) live in :mod:`wms.domain` (``allocation``, ``waves``, ``abc``).
"""
