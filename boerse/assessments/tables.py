"""Standalone assessments: a questionnaire answered through a public link, open for a period."""
