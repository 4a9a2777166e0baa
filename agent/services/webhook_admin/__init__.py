"""Managing an agency's outgoing webhooks for a viewer (web page, API), audited. Kept apart from
agent.services.integrations, which the team and lead services call to record events."""

from agent.services.webhook_admin.service import WebhookAdmin, WebhooksOverview, WebhooksRefused

__all__ = ["WebhookAdmin", "WebhooksOverview", "WebhooksRefused"]
