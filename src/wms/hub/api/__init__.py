"""The hub's HTTP interface: the app, what every request passes first, and one router per
resource. Routers translate HTTP to the parts below; no rule lives here."""
