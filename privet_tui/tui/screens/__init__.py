"""The shell screens, one per file (login, list, card, lock, help); the step screens are in
`steps/`. Each is imported where it is pushed, so the login screen paints fast."""
