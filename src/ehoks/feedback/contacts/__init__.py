"""The workplace instructor's contact data kept in feedback rows, and its removal."""
