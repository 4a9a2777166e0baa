"""What the web app and the API show and change for a viewer: leads, a lead, the day's agenda, viewings.

Every query is scoped by `agent.services.web_access.scope`; every change is audited.
"""
