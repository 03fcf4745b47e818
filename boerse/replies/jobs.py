"""Jobs of the replies domain."""

FUNCTIONS: list = []
CRON_JOBS: list = []
