"""Won and lost on the team bot: the client card's "Won"/"Lost" buttons, and words such as "Tom signed".

A button (`"do": OUTCOME_ACTION`) or a recognised sentence leads to the agency's reasons as buttons, or, when
the words named one ("Мария отказалась, дорого": price), to a confirmation; nothing is recorded before the
rep presses a button. Which lead a name means is looked up among the rep's own clients (several alike: the
rep picks one; none: the bot says so). Recording goes through `TeamOutcomes` (the lead's rep or an admin;
anyone else is refused and audited), which stops every follow-up of the lead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from agent.adapters.telegram.sender import BotSender, ButtonSpec
from agent.core.nlu.outcomes import read_outcome
from agent.core.outcomes import OutcomeKind
from agent.services.provider import Services
from agent.services.team import Actor, NotYourClient
from agent.services.team.outcomes import (
    BUTTON_ACTION,
    NotClosed,
    OutcomeChoice,
    OutcomeDone,
    OutcomeError,
    TeamOutcomes,
    UnknownReason,
)
from bot.buttons import ActionRouter, ButtonPress
from prompts import named
from prompts.outcomes import reason_name, say

OUTCOME_ACTION = BUTTON_ACTION
MAX_CHOICES = 6
REASONS_PER_ROW = 2


@dataclass(frozen=True)
class _Said:
    text: str
    buttons: list[list[ButtonSpec]]


def _button(label: str, **action: Any) -> ButtonSpec:
    return {"label": label, "action": {"do": OUTCOME_ACTION, **action}}


@dataclass
class OutcomeDesk:
    """Serves the outcome buttons and reads outcome sentences for the team bot."""

    services: Services

    @property
    def outcomes(self) -> TeamOutcomes:
        return TeamOutcomes(self.services.database, self.services.settings, self.services.clock)

    def plug_into(self, team_bot: ActionRouter) -> None:
        team_bot.on_action(OUTCOME_ACTION, self.on_press)

    async def on_text(self, sender: BotSender, actor: Actor, text: str) -> bool:
        """A sentence such as "Tom signed": handled (asked to confirm, to pick, or told no such client)."""
        statement = read_outcome(text)
        if statement is None:
            return False
        outcomes = self.outcomes
        if not await outcomes.has_clients(actor):
            return False  # not a rep with clients: the words are for the conversation
        language = actor.language
        matches = await outcomes.find_clients(actor, statement.name)
        chat_id = actor.chat_id or actor.telegram_id
        if not matches:
            if not _names_someone(text, statement.name):
                return False  # a question or a lower-case word: the conversation answers it
            said = _Said(say(language, "unknown_client", name=statement.name), [])
        elif len(matches) == 1:
            said = await self._propose(
                actor, matches[0].lead_id, statement.outcome, statement.reason, statement.note
            )
        else:
            rows = [
                [
                    _button(
                        match.name[:40],
                        step="pick",
                        lead=match.lead_id,
                        outcome=statement.outcome,
                        reason=statement.reason,
                        note=statement.note,
                    )
                ]
                for match in matches[:MAX_CHOICES]
            ]
            rows.append([_button(say(language, "btn_cancel"), step="cancel")])
            said = _Said(say(language, "which_client"), rows)
        await sender.send(chat_id, said.text, said.buttons)
        return True

    async def on_press(self, press: ButtonPress) -> None:
        """A step of the outcome flow: start (card), pick (a client), record, reopen, cancel."""
        action = press.action
        step = str(action.get("step") or "")
        language = press.actor.language
        lead_id = int(action.get("lead") or 0)
        outcome = "lost" if action.get("outcome") == "lost" else "won"
        reason = str(action["reason"]) if action.get("reason") else None
        note = str(action["note"]) if action.get("note") else None
        if step in ("record", "reopen", "cancel", "pick"):
            await press.close_card()
        try:
            if step == "cancel":
                said = _Said(say(language, "cancelled"), [])
            elif step == "start":
                said = self._reasons(
                    await self.outcomes.choice(press.actor, lead_id), language, outcome, note
                )
            elif step == "pick":
                said = await self._propose(press.actor, lead_id, outcome, reason, note)
            elif step == "record":
                said = self._recorded(
                    await self.outcomes.record(press.actor, lead_id, outcome, reason, note), language
                )
            elif step == "reopen":
                done = await self.outcomes.reopen(press.actor, lead_id)
                status = named(language, "team", "client_status", done.status) or done.status
                said = _Said(say(language, "reopened", name=done.name, status=status), [])
            else:
                return
        except NotYourClient:
            said = _Said(say(language, "not_yours"), [])
        except UnknownReason:
            said = _Said(say(language, "bad_reason"), [])
        except NotClosed:
            choice = await self.outcomes.choice(press.actor, lead_id)
            said = _Said(say(language, "not_closed", name=choice.name), [])
        except OutcomeError:
            said = _Said(say(language, "bad_reason"), [])
        await press.sender.send(press.chat_id, said.text, said.buttons)

    async def _propose(
        self, actor: Actor, lead_id: int, outcome: OutcomeKind | str, reason: str | None, note: str | None
    ) -> _Said:
        """Confirm the guessed reason, or ask for one (the agency's list as buttons)."""
        language = actor.language
        try:
            choice = await self.outcomes.choice(actor, lead_id)
        except NotYourClient:
            return _Said(say(language, "not_yours"), [])
        kind: OutcomeKind = "lost" if outcome == "lost" else "won"
        if reason is None or reason not in choice.reasons[kind]:
            return self._reasons(choice, language, kind, note)
        record = {"step": "record", "lead": lead_id, "outcome": kind, "note": note}
        rows = [
            [_button(say(language, "btn_yes"), reason=reason, **record)],
            [
                _button(
                    say(language, "btn_other_reason"), step="start", lead=lead_id, outcome=kind, note=note
                ),
                _button(say(language, "btn_cancel"), step="cancel"),
            ],
        ]
        return _Said(
            say(language, f"confirm.{kind}", name=choice.name, reason=reason_name(language, reason)), rows
        )

    @staticmethod
    def _reasons(choice: OutcomeChoice, language: str, outcome: OutcomeKind | str, note: str | None) -> _Said:
        kind: OutcomeKind = "lost" if outcome == "lost" else "won"
        record = {"step": "record", "lead": choice.lead_id, "outcome": kind, "note": note}
        buttons = [
            _button(reason_name(language, code)[:40], reason=code, **record) for code in choice.reasons[kind]
        ]
        rows: list[list[ButtonSpec]] = [
            buttons[index : index + REASONS_PER_ROW] for index in range(0, len(buttons), REASONS_PER_ROW)
        ]
        rows.append(
            [
                _button(say(language, "btn_no_reason"), reason=None, **record),
                _button(say(language, "btn_cancel"), step="cancel"),
            ]
        )
        return _Said(say(language, f"choose_reason.{kind}", name=choice.name), rows)

    @staticmethod
    def _recorded(done: OutcomeDone, language: str) -> _Said:
        reason = (
            say(language, "reason_in_line", reason=reason_name(language, done.reason)) if done.reason else ""
        )
        text = say(
            language,
            f"recorded.{done.status}",
            name=done.name,
            reason=reason,
            sends=done.stopped.sends,
            tasks=done.stopped.tasks,
        )
        rows: Sequence[list[ButtonSpec]] = [
            [
                {
                    "label": say(language, "btn_add_note"),
                    "action": {"do": "note", "kind": "lead", "id": str(done.lead_id)},
                },
                _button(say(language, "btn_reopen"), step="reopen", lead=done.lead_id),
            ]
        ]
        return _Said(text, list(rows))


def _names_someone(text: str, name: str) -> bool:
    """Whether an unmatched name was meant as a person's: the text is no question, and the name is
    capitalised where its script has capitals (any Persian or Arabic name counts)."""
    first = name.strip()[:1]
    return not text.rstrip().endswith(("?", chr(0x061F))) and bool(first) and not first.islower()
