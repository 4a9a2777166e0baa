"""Asking the agent: a lead's question the listing data cannot answer goes to the lead's rep in the team bot,
and the rep's answer comes back to the lead through the lead bot.

- `ask`: record the question on the lead and write its cards (the `ask_agent` tool sends them after commit);
- `cards`: who is asked (the lead's rep, else the admins and the alert chat) and the card they read;
- `answer`: a rep's reply to a card, checked (the lead's rep or an admin), relayed in the lead's language;
- `relay`: writing to the lead through the lead bot, translated when a model is configured;
- `timeouts`: one reminder to the rep, one notice to the lead, each exactly once (the follow-up job).
"""

from agent.services.questions.answer import ANSWER_ACTION, Answerer, QuestionDesk, Said
from agent.services.questions.ask import NoOneToAsk, ask_team, clean_question
from agent.services.questions.cards import QUESTION_KEY, Asked, CardsSent, TeamDirectory, send_cards
from agent.services.questions.timeouts import (
    REMIND_REP_AFTER,
    STOP_WAITING_AFTER,
    TELL_LEAD_AFTER,
    QuestionReport,
    chase_questions,
)

__all__ = [
    "ANSWER_ACTION",
    "QUESTION_KEY",
    "REMIND_REP_AFTER",
    "STOP_WAITING_AFTER",
    "TELL_LEAD_AFTER",
    "Answerer",
    "Asked",
    "CardsSent",
    "NoOneToAsk",
    "QuestionDesk",
    "QuestionReport",
    "Said",
    "TeamDirectory",
    "ask_team",
    "chase_questions",
    "clean_question",
    "send_cards",
]
