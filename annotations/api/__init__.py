"""The REST API (DRF): thin views and serializers over annotations.services and annotations.selectors."""
