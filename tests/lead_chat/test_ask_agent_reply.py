"""The offline model's words for the ask_agent result: the lead hears, in their language, that the agent was
asked (and by name), or plainly that the information is missing; never a tool's internal wording."""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from agent.adapters.offline.understanding import Turn
from agent.adapters.offline.writing import compose_reply


def reply_to(text: str, result: dict[str, Any]) -> str:
    call = {"name": "ask_agent", "args": {"question": text}, "id": "ask-1"}
    messages = [
        HumanMessage(text),
        AIMessage(content="", tool_calls=[call]),
        ToolMessage(json.dumps(result), name="ask_agent", tool_call_id="ask-1"),
    ]
    return compose_reply(Turn(messages, None))[0]


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        ("Is there a gym nearby?", "I don't have that information, so I've asked Wayan;"),
        ("Есть ли рядом спортзал?", "Этой информации у меня нет, поэтому я спросил у агента (Wayan)"),
        ("آیا نزدیک آن باشگاه ورزشی هست؟", "این اطلاعات را ندارم؛ برای همین از مشاور (Wayan) پرسیدم"),
        ("هل يوجد نادٍ رياضي قريب؟", "لا تتوفر لديّ هذه المعلومة، لذلك سألت الوكيل (Wayan)"),
    ],
)
def test_the_lead_hears_that_their_agent_was_asked_in_their_language(question: str, opening: str) -> None:
    reply = reply_to(question, {"status": "asked", "question_id": 7, "rep_name": "Wayan"})
    assert reply.startswith(opening)


def test_without_a_rep_the_team_was_asked_and_without_anyone_the_lead_is_told_plainly() -> None:
    team = reply_to("Is there a gym nearby?", {"status": "asked", "question_id": 7, "rep_name": None})
    assert team.startswith("I don't have that information, so I've asked our team;")
    nobody = reply_to("Is there a gym nearby?", {"status": "unavailable", "reason": "no_agent"})
    assert nobody.startswith("I don't have that information, and I couldn't pass your question to an agent")
    assert "no_agent" not in nobody and "tool" not in nobody
