"""Web views: thin adapters from HTTP to the services (writes) and selectors (reads)."""
