"""The OpenAI-compatible path, against a loopback stand-in that speaks the chat-completions wire format:
tool calls, 429 with Retry-After, 500, a timeout, malformed tool arguments, and the offline fallback."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from agent.adapters.models import Breaker, SalesModel, build_chat_model
from agent.adapters.offline import OfflineChatModel
from agent.services.provider import Services
from agent.settings import Settings
from storage.models import Tenant
from tests.fakes.openai_api import Answer, FakeOpenAI, completion, error, tool_call
from tests.sales_support import new_chat
from tools import LEAD_TOOLS


@pytest.fixture
async def api() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI() as fake:
        yield fake


def llm_settings(settings: Settings, api: FakeOpenAI, *, timeout: float = 5.0, retries: int = 2) -> Settings:
    return settings.model_copy(
        update={
            "openai_api_key": SecretStr("sk-loopback"),
            "openai_base_url": api.base_url,
            "realty_model": "loopback-model",
            "model_timeout_seconds": timeout,
            "model_max_retries": retries,
        }
    )


def use_provider(services: Services, settings: Settings) -> SalesModel:
    services.model = SalesModel(build_chat_model(settings))
    return services.model


def sent_tools(request: dict[str, Any]) -> list[str]:
    return [tool["function"]["name"] for tool in request["json"].get("tools") or []]


def test_no_key_means_the_offline_model_and_a_key_means_chatopenai_with_timeout_and_retries(
    settings: Settings,
) -> None:
    assert isinstance(build_chat_model(settings), OfflineChatModel)
    configured = settings.model_copy(
        update={"openai_api_key": SecretStr("sk-x"), "model_timeout_seconds": 7.5, "model_max_retries": 3}
    )
    model = build_chat_model(configured)
    assert isinstance(model, ChatOpenAI)
    assert model.request_timeout == 7.5 and model.max_retries == 3 and model.model_name == "gpt-4o-mini"
    assert isinstance(build_chat_model(configured, "offline"), OfflineChatModel)


async def test_tool_calls_from_the_provider_drive_the_graph(
    services: Services, demo: Tenant, settings: Settings, api: FakeOpenAI
) -> None:
    use_provider(services, llm_settings(settings, api))
    api.queue(
        completion(
            tool_calls=[tool_call("update_preferences", {"location": "Canggu", "property_type": "villa"})]
        ),
        completion(tool_calls=[tool_call("search_properties", {"query": "villa with a pool"}, "call_2")]),
        completion("Here are villas in Canggu from our catalog."),
    )
    chat = await new_chat(services, demo)
    result = await chat.say("Hi! I'm looking for a villa in Canggu")

    assert result.reply == "Here are villas in Canggu from our catalog."
    assert [call["name"] for call in result.tools] == ["update_preferences", "search_properties"]
    lead = await chat.lead()
    assert (lead.location, lead.property_type) == ("Canggu", "villa")
    assert result.phase == "engagement"
    assert any(choice.value.startswith("book:") for choice in result.choices)

    first, second, third = api.requests
    assert first["path"].endswith("/chat/completions") and first["json"]["model"] == "loopback-model"
    assert first["headers"]["authorization"] == "Bearer sk-loopback"
    assert "book_viewing" not in sent_tools(first)  # the qualification phase offers no booking
    assert "search_properties" in sent_tools(second)
    system = first["json"]["messages"][0]
    assert system["role"] == "system" and "Bali Dream Homes" in system["content"]
    assert set(system) == {"role", "content"}  # the brief goes as text; no data rides along
    tool_results = [m for m in third["json"]["messages"] if m["role"] == "tool"]
    assert {m["tool_call_id"] for m in tool_results} == {"call_1", "call_2"}
    assert json.loads(tool_results[-1]["content"])["count"] >= 1


async def test_a_429_with_retry_after_is_waited_out_and_retried(
    services: Services, demo: Tenant, settings: Settings, api: FakeOpenAI
) -> None:
    model = use_provider(services, llm_settings(settings, api, retries=2))
    api.queue(error(429, "slow down", {"retry-after": "1"}), completion("Hello! How can I help?"))
    chat = await new_chat(services, demo)
    started = time.monotonic()
    result = await chat.say("hello")
    assert result.reply == "Hello! How can I help?"
    assert len(api.requests) == 2 and time.monotonic() - started >= 0.9
    assert model.fallbacks == 0


async def test_a_provider_that_keeps_failing_is_answered_by_the_offline_model(
    services: Services, demo: Tenant, settings: Settings, api: FakeOpenAI
) -> None:
    model = use_provider(services, llm_settings(settings, api, retries=1))
    api.default = error(500, "upstream down")
    chat = await new_chat(services, demo)
    result = await chat.say("I want to rent an apartment in Seminyak")
    assert model.fallbacks >= 1
    assert [call["name"] for call in result.tools][:2] == ["update_preferences", "search_properties"]
    assert "Here is what I found" in result.reply
    assert len(api.requests) >= 2  # one call and its retry, per step until the breaker opens


async def test_a_timeout_falls_back_without_making_the_lead_wait_for_the_answer(
    services: Services, demo: Tenant, settings: Settings, api: FakeOpenAI
) -> None:
    model = use_provider(services, llm_settings(settings, api, timeout=0.5, retries=0))
    api.default = Answer(body=completion("too late"), delay=3.0)
    chat = await new_chat(services, demo)
    started = time.monotonic()
    result = await chat.say("hello")
    assert result.reply and result.reply != "too late"
    assert model.fallbacks == 1 and time.monotonic() - started < 2.5


async def test_malformed_tool_arguments_are_asked_again_once_then_the_offline_model_answers(
    services: Services, demo: Tenant, settings: Settings, api: FakeOpenAI
) -> None:
    model = use_provider(services, llm_settings(settings, api))
    broken = completion(tool_calls=[tool_call("update_preferences", '{"location": "Canggu", ')])
    api.queue(broken, broken)
    api.default = Answer(body=completion("unused"))
    chat = await new_chat(services, demo)
    result = await chat.say("I want a villa in Canggu to buy")
    assert model.fallbacks >= 1
    assert result.tools[0] == {
        "name": "update_preferences",
        "args": {"property_type": "villa", "transaction": "sale", "location": "Canggu"},
    }
    lead = await chat.lead()
    assert lead.location == "Canggu"


async def test_a_malformed_call_then_a_good_one_uses_the_good_one(
    settings: Settings, api: FakeOpenAI
) -> None:
    model = SalesModel(build_chat_model(llm_settings(settings, api)))
    api.queue(
        completion(tool_calls=[tool_call("update_preferences", "{not json")]),
        completion(tool_calls=[tool_call("update_preferences", {"location": "Ubud"})]),
    )
    reply = await model.step([SystemMessage("You sell homes."), HumanMessage("Ubud please")], LEAD_TOOLS)
    assert reply.tool_calls[0]["args"] == {"location": "Ubud"} and not reply.invalid_tool_calls
    assert model.fallbacks == 0 and len(api.requests) == 2


async def test_a_tool_the_phase_does_not_offer_is_refused(
    services: Services, demo: Tenant, settings: Settings, api: FakeOpenAI
) -> None:
    use_provider(services, llm_settings(settings, api))
    api.queue(
        completion(tool_calls=[tool_call("book_viewing", {"property_id": 1, "when": "2026-03-03T11:00"})]),
        completion("Let me first learn what you are looking for."),
    )
    chat = await new_chat(services, demo)
    result = await chat.say("hi")
    assert result.reply == "Let me first learn what you are looking for."
    assert await chat.viewings() == []
    refused = [m for m in api.requests[1]["json"]["messages"] if m["role"] == "tool"]
    assert "not available" in refused[0]["content"]


async def test_after_repeated_failures_the_provider_is_skipped_for_a_while(
    settings: Settings, api: FakeOpenAI
) -> None:
    model = SalesModel(
        build_chat_model(llm_settings(settings, api, retries=0)),
        breaker=Breaker(failures=2, cooldown_seconds=60),
    )
    api.default = error(500)
    prompt = [SystemMessage("You sell homes."), HumanMessage("hello")]
    for _ in range(4):
        reply = await model.step(prompt, [])
        assert isinstance(reply, AIMessage) and reply.content
    assert len(api.requests) == 2 and model.breaker.is_open and model.fallbacks == 4
