"""Operations: worker heartbeats and the health check that load balancers and admins read."""
