"""Deciding the feedback of plans stored before feedback existed (`ehoks feedback catch-up`)."""
