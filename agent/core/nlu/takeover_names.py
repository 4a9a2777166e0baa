"""Words that can follow "I'll take" / "Беру" without naming a client, and Russian case endings of names
(pure word lists; agent.services.takeover.names uses them to find the client a rep means)."""

from __future__ import annotations

NOT_NAMES = frozenset(
    {
        # English: "I'll take it / him / over / care of it / a break / the day off"
        *("it", "him", "her", "them", "this", "that", "these", "those", "one", "over", "care", "a", "the"),
        *("break", "day", "days", "off", "call", "lunch", "note", "look", "you", "me", "us", "all"),
        # Russian: "Беру выходной завтра", "Возьму его", "Беру отпуск", "Беру трубку"
        *("выходной", "выходные", "отгул", "отпуск", "перерыв", "больничный", "трубку", "паузу", "его", "её"),
        *(
            "ее",
            "их",
            "это",
            "этого",
            "эту",
            "этот",
            "всё",
            "все",
            "себе",
            "день",
            "неделю",
            "такси",
            "ключи",
        ),
        # Persian and Arabic: "it / him / her / this"
        *("این", "آن", "او", "اون", "را", "هذا", "هذه", "ذلك", "هو", "هي", "إجازة", "اجازة", "مرخصی"),
    }
)
"""Words that follow "I'll take" / "Беру" without naming anyone: never read as a client's name."""

RUSSIAN_ENDINGS = ("ом", "ем", "ой", "ей", "ою", "у", "ю", "а", "я", "е", "и", "ы")
"""Endings a Russian name takes in a sentence ("Беру Тома", "Марию", "с Томом"), longest first."""
