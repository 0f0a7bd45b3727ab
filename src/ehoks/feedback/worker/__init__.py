"""The feedback worker: handles due feedback jobs (`ehoks worker`, `ehoks worker --once`)."""
