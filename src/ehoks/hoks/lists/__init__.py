"""Lists of plans in name order, as ordered index ranges merged (`repository`)."""
