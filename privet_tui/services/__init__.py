"""The onboarding workflow as plain Python, no UI: `steps/` writes the steps, `rules/` holds
the pure rules, `clients/` the list, card and claims; `gateway` is the one door the TUI and
the CLI go through."""
