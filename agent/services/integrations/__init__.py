"""Outgoing webhooks: the agency's endpoints hear about its leads and viewings (signed, retried)."""
