"""Jobs of the goals domain."""

FUNCTIONS: list = []
CRON_JOBS: list = []
