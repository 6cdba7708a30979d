"""The pure business rules — validation, passport rules, the device catalog, pricing, tariff
files, one-time codes — as plain functions over plain data: no database, no clock, no UI."""
