"""Running a claimed batch of one kind of job together: one statement a step for all of them."""
