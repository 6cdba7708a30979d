"""The seven step screens, one per file, one to one with `services/steps/`; `registry` maps
step numbers to them."""
