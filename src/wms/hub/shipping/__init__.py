"""Shipping at the hub (hardware/SHIPPING.md): carriers and cartons, the number pools and the
blocks cut from them for terminals, parcels and their lines as the floor packs them, bookings
with carriers, loads at the dock, and the end-of-day manifests.

Below sync (whose ingest hands it the floor's pack, load and ship ops), above planning (whose
reservations and order status it moves).
"""
