"""A resident's engagement record: attended dates, reported hours and the Engagementnachweis."""
