"""Who the clients are and who works on them: the list with its tabs, the card, and claims."""
