"""A tenant's listing catalog: the demo data and seed, and importing listing files (CSV, JSON, SGD Homes)."""
