"""The public read API under /api/v1/: opportunities, organisations, taxonomies and the
suppressed public results, described by the OpenAPI document Litestar generates."""
