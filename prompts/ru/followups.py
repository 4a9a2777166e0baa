"""Russian follow-up texts, at most 160 characters once filled (agent.core.policies.followup_text)."""

from __future__ import annotations

from typing import Final

# {hi}: the greeting; {wish}: what the lead asked for; {match}: a real listing's title.
TEXTS: Final[dict[str, str]] = {
    "check_in": "{hi}! Всё ещё ищете: {wish}? Могу прислать новые варианты или записать на просмотр.",
    "ghost": "{hi}! Как продвигается поиск: {wish}? Ответьте, когда будет удобно.",
    "listings": "{hi}! Подошёл ли какой-то вариант: {wish}? Могу записать на просмотр.",
    "viewing": "{hi}! Хотите посмотреть вживую: {wish}? Напишите удобный день.",
    "match": "{hi}! Новый вариант по вашему запросу ({wish}): {match}. Прислать детали?",
    # when we know nothing of what the lead wants: an honest question instead of a made-up wish
    "generic": "{hi}! Напоминаю о себе. Какую недвижимость вы ищете? С радостью помогу.",
    "hello_named": "Здравствуйте, {name}",
    "hello": "Здравствуйте",
}
