"""Demo tooling, kept out of the domain: seeds an empty database with a demo master and
applicants in every status, through the same services the TUI uses."""
