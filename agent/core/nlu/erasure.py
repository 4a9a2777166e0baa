"""A lead's request to have their personal data erased ("delete my data", "forget me"), in en, ru, fa, ar.

Pure and conservative: it must name the lead's own data (or "forget me" / "delete me"), so "delete the
photo" or "my data is in the form" are not requests. A negation just before ("don't delete my data") is not one.
"""

from __future__ import annotations

from agent.core.nlu.lexicon import flat_key, rx

_DELETE = r"(?:delete|erase|remove|wipe|purge|destroy|clear)"
_MY_DATA = (
    r"(?:all\s+)?(?:of\s+)?(?:my|our)\s+(?:personal\s+)?(?:data|information|info|details|records?|"
    r"profile|account|history|conversation|chat|messages)"
)
_REQUEST = rx(
    # English
    rf"\b{_DELETE}\s+(?:all\s+)?{_MY_DATA}\b|"
    rf"\b{_DELETE}\s+(?:me|everything\s+(?:about|on)\s+me|all\s+(?:the\s+)?(?:data|info\w*)\s+(?:about|on|of)\s+me)\b|"
    r"\bforget\s+(?:about\s+)?(?:me|everything\s+about\s+me|my\s+data)\b|\bright\s+to\s+(?:be\s+forgotten|erasure)\b|"
    r"\bgdpr\s+(?:erasure|deletion|request)\b|"
    # Russian: "удалите мои данные", "удалить мою информацию", "забудьте меня", "сотрите всё обо мне"
    r"(?:удал|стер|сотр|уничтож)\w*(?:[\s,]+(?:все|всю|всё|пожалуйста))*[\s,]+(?:мои|мою|мой|моих|мое|моё|наши)\s+"
    r"(?:персональн\w+\s+|личн\w+\s+)?(?:данн\w+|информаци\w+|переписк\w+|профил\w*|аккаунт\w*|истори\w+)|"
    r"(?:удал|стер|сотр)\w*(?:[\s,]+(?:все|всю|всё|пожалуйста))*[\s,]+(?:данн\w+|информаци\w+)\s+обо\s+мне|"
    r"(?:удал|сотр)\w*\s+(?:(?:все|всё)\s+)*обо\s+мне|забудьте\s+(?:меня|обо\s+мне|про\s+меня)|"
    r"право\s+на\s+забвение|"
    # Persian: "اطلاعات من را پاک کنید", "اطلاعاتم را حذف کنید", "داده‌های من را پاک کن", "مرا فراموش کنید"
    r"(?:اطلاعات|داده\s*(?:ها|های)?|مشخصات|پیام\s*(?:ها|های))\s*(?:م|ی\s*من|من|شخصی\s*(?:من|ام)?)?\s*(?:را|رو)?\s*"
    r"(?:پاک|حذف)\s*(?:کن|کنید|کنین|بکنید|بشه|شود)|"
    r"(?:پاک|حذف)\s*(?:کردن|کنید|کن)\s*(?:اطلاعات|داده\s*(?:ها|های)?)\s*(?:من|م)|"
    r"(?:مرا|منو|من\s*را)\s*فراموش\s*(?:کنید|کن|کنین)|"
    # Arabic: "احذف بياناتي", "امسحوا معلوماتي", "احذفوا كل بياناتي", "انسني", "انسوني"
    r"(?:احذف|امسح|ازل|أزل|حذف|مسح|إزالة|ازالة)\w*\s+(?:كل\s+|جميع\s+)?(?:ال)?(?:بيانات|معلومات|محادث\w*|رسائل)\s*"
    r"(?:ی|ي|الشخصية|الخاصة\s+بي|عني)|"
    r"(?:بياناتي|معلوماتي)\s+(?:احذف|امسح)\w*|(?:انسني|انسوني|انساني)"
)
_NEGATION_BEFORE = rx(r"(?:don'?t|do\s+not|not|never|no\s+need\s+to|не|نه|نباید|لا|لن)\s*$")


def asks_to_erase(text: str) -> bool:
    """True for "delete my data", "forget me", "удалите мои данные", "اطلاعات من را پاک کنید", "احذف بياناتي"."""
    folded = flat_key(text)
    for match in _REQUEST.finditer(folded):
        if not _NEGATION_BEFORE.search(folded[max(0, match.start() - 14) : match.start()]):
            return True
    return False
