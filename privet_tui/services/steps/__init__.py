"""The seven onboarding steps on the database side, one module per step screen under
`tui/screens/steps/`: each takes a Session, guards the client, writes one transaction's worth."""
