"""The name-word table of the plans' student names, kept with every write (`repository`)."""
