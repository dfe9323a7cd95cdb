"""Customs at the hub (hardware/CUSTOMS.md): a bonded-retail (1210) parcel declared to customs
as an import list when it is packed, customs' receipts gating its dispatch, cancel and return
requests, and the bonded ledger reconciled daily against the physical bonded stock.

- :mod:`.codes`: the warehouse's customs codes, products' customs data (HS code, units, origin,
  bonded-ledger item);
- :mod:`.messages`: the CEB621/623/625 messages, built as the official schema has them;
- :mod:`.declare`: lists for parcels, cancel and return requests, stored to be handed over;
- :mod:`.handover`: handing messages to the customs client (a folder, or an HTTP endpoint);
- :mod:`.receipts`, :mod:`.inbox`: customs' answers, through a folder or the API;
- :mod:`.gate`: a parcel's customs status, the exceptions it raises and supervisors' next steps;
- :mod:`.ledger`, :mod:`.reconcile`: the bonded ledger and its three-way reconciliation.

Layer "(customs)": below sync (whose ingest calls :func:`.settle.settle_customs`), above
shipping and planning.
"""
