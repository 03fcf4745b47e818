"""Partner access: API keys that let an agency's own tool read and publish through /api/v1."""
