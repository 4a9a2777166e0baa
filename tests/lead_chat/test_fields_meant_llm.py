"""Fields change only when meant, on the OpenAI-compatible path (the loopback stand-in): the model gets the
refusal or the question as the tool's result, and the lead's yes replaces a phone whatever the model does."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pydantic import SecretStr

from agent.adapters.models import SalesModel, build_chat_model
from agent.services.provider import Services
from agent.settings import Settings
from storage.models import Lead, Tenant
from tests.fakes.openai_api import FakeOpenAI, completion, tool_call
from tests.sales_support import new_chat


@pytest.fixture
async def api() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI() as fake:
        yield fake


def use_loopback(services: Services, settings: Settings, api: FakeOpenAI) -> None:
    configured = settings.model_copy(
        update={
            "openai_api_key": SecretStr("sk-loopback"),
            "openai_base_url": api.base_url,
            "realty_model": "loopback-model",
            "model_timeout_seconds": 5.0,
            "model_max_retries": 0,
        }
    )
    services.model = SalesModel(build_chat_model(configured))


def tool_results(request: dict[str, Any]) -> list[dict[str, Any]]:
    return [json.loads(m["content"]) for m in request["json"]["messages"] if m["role"] == "tool"]


async def test_the_model_is_told_to_ask_and_the_leads_yes_replaces_the_phone(
    services: Services, demo: Tenant, settings: Settings, api: FakeOpenAI
) -> None:
    use_loopback(services, settings, api)
    chat = await new_chat(services, demo)
    async with services.database.session() as session:
        lead = await session.get(Lead, chat.lead_id)
        assert lead is not None
        lead.phone = "+6281234567890"

    api.queue(
        completion(tool_calls=[tool_call("capture_contact", {"phone": "+62 813 9876 5432"})]),
        completion("You gave me +62 812-3456-7890 before. Shall I replace it?"),
    )
    await chat.say("my number is +62 813 9876 5432")
    result = tool_results(api.requests[1])[-1]
    assert result["status"] == "confirm" and result["pending"] == {"phone": "+6281398765432"}
    assert "Shall I replace" in result["message"] and "+62 812-3456-7890" in result["message"]
    assert (await chat.lead()).phone == "+6281234567890"

    api.queue(completion("Done, your number is updated."))
    reply = await chat.say("yes")
    assert reply.reply == "Done, your number is updated."
    assert (await chat.lead()).phone == "+6281398765432"  # the graph saved it on the yes, not the model
    system = api.requests[2]["json"]["messages"][0]["content"]
    assert "the lead said yes: their phone is now +62 813-9876-5432" in system


async def test_a_refused_budget_reaches_the_model_in_the_leads_language(
    services: Services, demo: Tenant, settings: Settings, api: FakeOpenAI
) -> None:
    use_loopback(services, settings, api)
    chat = await new_chat(services, demo, "ru")
    api.queue(
        completion(tool_calls=[tool_call("update_preferences", {"budget_max": 1e30, "currency": "USD"})]),
        completion("Проверьте, пожалуйста, сумму."),
    )
    await chat.say("бюджет 1000000000000000000000000000000 долларов")
    result = tool_results(api.requests[1])[-1]
    assert result["status"] == "rejected" and result["updated"] == []
    assert "Проверьте" in result["errors"]["budget_max"]
    lead = await chat.lead()
    assert lead.budget_max is None and lead.budget_currency is None
