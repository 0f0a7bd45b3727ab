"""What a student takes with them: the competence summary as PDF and as a signed credential."""
