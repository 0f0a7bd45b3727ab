"""Keeping the local registry copies current from registries over HTTP (`ehoks worker`)."""
