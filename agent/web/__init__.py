"""The team's web app on one ASGI server: dashboard pages, the HTTP API, the bots' webhooks, health checks.

An entry point: it may use every layer below it (bots, services, adapters, prompts, core). `create_app`
builds the FastAPI application for a `Services`; `realty serve` and `realty bot --web-port` run it on uvicorn.
"""
