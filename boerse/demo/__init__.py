"""Demo data: a fictional town with organisations, opportunities, residents and their history."""
