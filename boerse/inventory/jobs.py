"""Jobs of the inventory domain."""

FUNCTIONS: list = []
CRON_JOBS: list = []
