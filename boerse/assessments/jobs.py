"""Jobs of the assessments domain."""

FUNCTIONS: list = []
CRON_JOBS: list = []
