"""Jobs of the dashboards domain."""

FUNCTIONS: list = []
CRON_JOBS: list = []
