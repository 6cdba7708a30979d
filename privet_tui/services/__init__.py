"""The onboarding workflow as plain Python: validation, catalog, pricing and the steps, no UI."""
