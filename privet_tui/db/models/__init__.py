"""Typed models of every table this project owns, one module per area (masters, clients,
billing, support); the legacy `users`/`devices` mapping lives in `db.legacy`."""
