"""The sales graph's wiring, driven by a scripted chat model that returns real AIMessage tool calls:
phase routing on state, the model/tools loop, the tool guard, the step bound, bounded checkpoints."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import Field

from agent.adapters.checkpointer import conversation_store
from agent.adapters.models import SalesModel
from agent.services.provider import Services
from graphs.sales.conversation import sales_graph, thread_id
from graphs.sales.graph import builder, route_after_model
from graphs.sales.nodes import MAX_MODEL_STEPS
from graphs.sales.nodes.finish import KEEP_TURNS
from graphs.sales.phases import TOOLS_BY_PHASE, is_qualified, phase_for
from storage.models import Tenant
from tests.sales_support import new_chat
from tools.context import LeadContext

ROOT = Path(__file__).resolve().parents[2]

Script = Callable[[list[BaseMessage], tuple[str, ...]], AIMessage]


class ScriptedChatModel(BaseChatModel):
    """Answers with what the test's script returns for the messages and tools it is given; keeps every call."""

    script: Any
    calls: list[tuple[list[BaseMessage], tuple[str, ...]]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Any:
        return self.bind(tool_names=tuple(tool.name for tool in tools))

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        tools = tuple(kwargs.get("tool_names") or ())
        self.calls.append((messages, tools))
        return ChatResult(generations=[ChatGeneration(message=self.script(messages, tools))])


def scripted(services: Services, script: Script) -> ScriptedChatModel:
    model = ScriptedChatModel(script=script, calls=[])
    services.model = SalesModel(model)
    return model


def call(name: str, args: dict[str, Any], call_id: str) -> AIMessage:
    return AIMessage(
        content="", tool_calls=[{"name": name, "args": args, "id": call_id, "type": "tool_call"}]
    )


def after_tool(messages: Sequence[BaseMessage]) -> bool:
    return isinstance(messages[-1], ToolMessage)


# --- Routing on state --------------------------------------------------------------------------------------


def test_phases_follow_the_state_not_the_wording() -> None:
    assert phase_for({"turn": 1}) == "greeting"
    assert phase_for({"turn": 1, "reading": {"preferences": {"property_type": "villa"}}}) == "qualification"
    assert phase_for({"turn": 2, "profile": {"property_type": "villa"}}) == "qualification"
    qualified = {"location": "Canggu", "property_type": "villa"}
    assert is_qualified(qualified) and not is_qualified({"property_type": "villa"})
    assert phase_for({"turn": 2, "profile": qualified}) == "value_proposition"
    assert (
        phase_for({"turn": 2, "profile": {"location": "Ubud"}, "reading": {"intents": ["search"]}})
        == "value_proposition"
    )
    assert phase_for({"turn": 3, "profile": qualified, "shown_ids": [1]}) == "engagement"
    request = {"property_id": 1, "when": None}
    assert phase_for({"shown_ids": [1], "viewing_request": request}) == "contact_capture"
    assert phase_for({"shown_ids": [1], "viewing_request": request, "phone_known": True}) == "booking"
    assert phase_for({"shown_ids": [1], "viewing_request": request, "phone_asked": True}) == "booking"
    assert phase_for({"shown_ids": [1], "profile": {"status": "viewing_scheduled"}}) == "handoff"
    assert phase_for({"human_requested": True, "profile": {"status": "handed_off"}}) == "handoff"


def test_every_phase_offers_only_lead_tools_and_the_router_reads_tool_calls() -> None:
    from tools import LEAD_TOOLS

    names = {tool.name for tool in LEAD_TOOLS}
    for phase, tools in TOOLS_BY_PHASE.items():
        assert set(tools) <= names, phase
    assert "book_viewing" not in TOOLS_BY_PHASE["qualification"]
    assert route_after_model({"messages": [call("score_lead", {}, "c1")]}) == "tools"
    assert route_after_model({"messages": [AIMessage(content="Done")]}) == "finish"


# --- The loop inside a phase, and phase changes within a turn ------------------------------------------------


async def test_a_turn_moves_from_qualification_to_value_proposition_when_the_profile_fills(
    services: Services, demo: Tenant
) -> None:
    def script(messages: list[BaseMessage], tools: tuple[str, ...]) -> AIMessage:
        system = messages[0]
        assert isinstance(system, SystemMessage)
        if not after_tool(messages):
            return call("update_preferences", {"location": "Canggu", "property_type": "villa"}, "c1")
        if messages[-1].name == "update_preferences":
            return call("search_properties", {}, "c2")
        return AIMessage(content="Here you are.")

    model = scripted(services, script)
    chat = await new_chat(services, demo)
    result = await chat.say("villa in canggu")

    phases = [re.findall(r"Current phase: (\w+)", str(m[0][0].content)) for m in model.calls]
    assert phases == [["qualification"], ["value_proposition"], ["engagement"]]
    assert model.calls[0][1] == TOOLS_BY_PHASE["qualification"]
    assert result.reply == "Here you are." and result.phase == "engagement"
    assert [c["name"] for c in result.tools] == ["update_preferences", "search_properties"]
    assert len(result.choices) >= 2


async def test_a_model_that_never_stops_calling_tools_is_made_to_answer(
    services: Services, demo: Tenant
) -> None:
    def script(messages: list[BaseMessage], tools: tuple[str, ...]) -> AIMessage:
        if tools:
            return call("score_lead", {}, f"c{len(messages)}")
        return AIMessage(content="Let's continue.")

    model = scripted(services, script)
    chat = await new_chat(services, demo)
    await chat.say("Villa in Canggu to buy")  # reach a phase that offers score_lead
    await chat.say("I'd like to see it")
    model.calls.clear()
    result = await chat.say("what's my score?")
    assert result.reply == "Let's continue."
    assert len(model.calls) == MAX_MODEL_STEPS and model.calls[-1][1] == ()


async def test_the_model_never_sees_whose_record_it_is_and_cannot_pick_another(
    services: Services, demo: Tenant
) -> None:
    victim = await new_chat(services, demo)
    attacker = await new_chat(services, demo)

    def script(messages: list[BaseMessage], tools: tuple[str, ...]) -> AIMessage:
        if not after_tool(messages):
            return call(
                "update_preferences", {"name": "Mallory", "lead_id": victim.lead_id, "tenant_id": 999}, "c1"
            )
        return AIMessage(content="ok")

    scripted(services, script)
    await attacker.say("hello")
    assert (await victim.lead()).name is None
    assert (await attacker.lead()).name == "Mallory"


# --- Bounded state ----------------------------------------------------------------------------------------


async def test_the_checkpoint_keeps_a_window_of_turns_and_the_model_sees_fewer(
    services: Services, demo: Tenant
) -> None:
    def script(messages: list[BaseMessage], tools: tuple[str, ...]) -> AIMessage:
        if not after_tool(messages):
            return (
                call("score_lead", {}, f"c{len(messages)}")
                if "score_lead" in tools
                else AIMessage(content="Noted.")
            )
        return AIMessage(content="Noted.")

    model = scripted(services, script)
    chat = await new_chat(services, demo)
    for i in range(KEEP_TURNS + 8):
        await chat.say(f"message number {i}")
    store = await conversation_store(services)
    compiled = await sales_graph(store)
    state = (
        await compiled.aget_state({"configurable": {"thread_id": thread_id(demo.id, chat.lead_id)}})
    ).values
    humans = [m for m in state["messages"] if isinstance(m, HumanMessage)]
    assert len(humans) == KEEP_TURNS
    assert humans[-1].content == f"message number {KEEP_TURNS + 7}"
    sent = [m for m in model.calls[-1][0] if isinstance(m, HumanMessage)]
    assert len(sent) <= 4
    # Every tool call kept has its result (windows are cut at a lead's message).
    answered = {m.tool_call_id for m in state["messages"] if isinstance(m, ToolMessage)}
    assert all(
        c["id"] in answered for m in state["messages"] if isinstance(m, AIMessage) for c in m.tool_calls
    )


async def test_checkpoint_storage_per_turn_stays_flat(services: Services, demo: Tenant) -> None:
    scripted(services, lambda messages, tools: AIMessage(content="Noted, thank you. " * 5))
    chat = await new_chat(services, demo)
    store = await conversation_store(services)
    thread = thread_id(demo.id, chat.lead_id)
    sizes = []
    for i in range(30):
        await chat.say(f"Here is a fairly ordinary message from the lead, number {i}.")
        sizes.append(await store.storage_bytes(thread))
    early = sizes[9] - sizes[4]
    late = sizes[29] - sizes[24]
    assert late <= early * 1.3, sizes


# --- Restart and repair ------------------------------------------------------------------------------------


async def test_the_graph_resumes_on_a_new_checkpointer_from_the_same_database(
    services: Services,
    demo: Tenant,
    settings,
    database,
    sales_clock,  # type: ignore[no-untyped-def]
) -> None:
    from tests.sales_support import make_services

    chat = await new_chat(services, demo)
    await chat.say("I want to buy a villa in Ubud")
    await services.resources.aclose()

    fresh = make_services(settings, database, sales_clock)
    try:
        store = await conversation_store(fresh)
        compiled = builder.compile(checkpointer=store.saver)
        config: RunnableConfig = {"configurable": {"thread_id": thread_id(demo.id, chat.lead_id)}}
        before = (await compiled.aget_state(config)).values
        assert before["shown_ids"] and before["phase"] == "engagement"
        out = await compiled.ainvoke(
            {"messages": [HumanMessage("Is the first one furnished?")]},
            config,
            context=LeadContext(services=fresh, tenant_id=demo.id, lead_id=chat.lead_id),
        )
        assert "furnished" in out["messages"][-1].content
    finally:
        await fresh.resources.aclose()


async def test_a_turn_cut_short_leaves_no_dangling_tool_call(services: Services, demo: Tenant) -> None:
    chat = await new_chat(services, demo)
    await chat.say("hello")
    store = await conversation_store(services)
    compiled = await sales_graph(store)
    config = {"configurable": {"thread_id": thread_id(demo.id, chat.lead_id)}}
    # A crash after the model asked for a tool: the call is in the checkpoint, its result is not.
    await compiled.aupdate_state(
        config, {"messages": [HumanMessage("x"), call("score_lead", {}, "lost")]}, as_node="finish"
    )
    result = await chat.say("Villa in Ubud please")
    assert result.reply
    state = (await compiled.aget_state(config)).values
    assert not any(
        isinstance(m, AIMessage) and any(c["id"] == "lost" for c in m.tool_calls) for m in state["messages"]
    )


async def test_a_reused_lead_id_starts_its_thread_over(services: Services, demo: Tenant) -> None:
    chat = await new_chat(services, demo)
    store = await conversation_store(services)
    compiled = await sales_graph(store)
    config = {"configurable": {"thread_id": thread_id(demo.id, chat.lead_id)}}
    await compiled.aupdate_state(
        config,
        {"messages": [HumanMessage("someone else's words")], "lead_stamp": "old", "shown_ids": [1, 2, 3]},
        as_node="finish",
    )
    result = await chat.say("hello")
    assert result.phase == "greeting"
    state = (await compiled.aget_state(config)).values
    assert all("someone else" not in str(m.content) for m in state["messages"])
    assert state["shown_ids"] == []


async def test_the_exported_graph_compiles_with_any_checkpointer(services: Services, demo: Tenant) -> None:
    compiled = builder.compile(checkpointer=InMemorySaver())
    chat = await new_chat(services, demo)
    out = await compiled.ainvoke(
        {"messages": [HumanMessage("hi")], "language": "en"},
        {"configurable": {"thread_id": "t"}},
        context=LeadContext(services=services, tenant_id=demo.id, lead_id=chat.lead_id),
    )
    assert out["phase"] == "greeting" and "Bali Dream Homes" in out["messages"][-1].content


def test_importing_the_graph_reads_no_settings_and_opens_nothing() -> None:
    """Nor does importing the turn API, the tools and the bots load a calendar, mail or migration library."""
    code = (
        "import sys, socket\n"
        "def refuse(*a, **k): raise AssertionError('network at import time')\n"
        "socket.socket.connect = refuse\n"
        "import agent.settings as s\n"
        "s.get_settings = refuse\n"
        "from graphs.sales.graph import graph, builder\n"
        "import graphs.sales.conversation, tools, bot.app\n"
        "heavy = ('googleapiclient', 'google.auth', 'google_auth_oauthlib', 'icalendar', 'smtplib', 'alembic')\n"
        "print(type(graph).__name__, graph.checkpointer, sorted(name for name in heavy if name in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "CompiledStateGraph None []"


def test_langgraph_json_registers_the_sales_graph() -> None:
    config = json.loads((ROOT / "langgraph.json").read_text())
    assert config["graphs"]["sales"] == "./graphs/sales/graph.py:graph"
