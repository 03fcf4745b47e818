"""Guests: people who sign up for a date without an account, and their personal sign-up page."""
