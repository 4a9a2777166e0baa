"""The app's routers, one module per area; `agent.web.app` includes them all."""
