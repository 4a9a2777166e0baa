"""What a lead's message is trying to do, in English, Russian, Persian and Arabic."""

from __future__ import annotations

import re
from enum import StrEnum

from agent.core.nlu.lexicon import key, rx, terms
from agent.core.nlu.slots import parse_bedrooms, parse_property_type


class Intent(StrEnum):
    GREETING = "greeting"
    SEARCH = "search"  # wants to see listings or options
    BOOK_VIEWING = "book_viewing"
    RESCHEDULE = "reschedule"
    CANCEL = "cancel"
    HUMAN = "human"  # wants a person: agent, manager, "call me"
    OPT_OUT = "opt_out"
    AFFIRM = "affirm"
    DENY = "deny"
    THANKS = "thanks"
    QUESTION = "question"
    INJECTION = "injection"  # tries to change the bot's rules or reach other people's data


# --- opting out -------------------------------------------------------------------------------------
# A message that is nothing but one of these (after dropping punctuation and "please") is an opt-out.
_STOP_COMMANDS = frozenset(
    key(word)
    for word in terms(
        "stop|stopall|stop all|stop it|stop now|unsubscribe|opt out|optout|remove me|"
        "стоп|отписаться|отписка|отпишите|отпишите меня|отпишись|хватит|"
        "توقف|لغو|لغو اشتراک|لغو عضویت|انصراف|"
        "الغاء|إلغاء|إلغاء الاشتراك|الغاء الاشتراك|ايقاف|إيقاف"
    )
)
_POLITE = rx(r"\b(?:please|pls|plz|now|пожалуйста|плиз|لطفا|لطفاً|من\s+فضلک|رجاء|رجاءا|بلیز)\b")
_NOT_LETTERS = re.compile(r"[\W\d_]+")
# Explicit requests to stop that may sit inside a longer message.
_OPT_OUT_PHRASES = rx(
    r"\bunsubscrib\w*|\bopt[- ]?out\b|"
    r"\bstop\s+(?:messaging|texting|contacting|sending|writing|spamming|emailing|bothering|calling|receiving|getting)\b|"
    # "don't text me" ends the message or says "again"; "don't text me, email me" is a channel preference
    r"\b(?:don'?t|do\s+not|never)\s+(?:message|text|contact|write\s+to|email|bother|call)\s+(?:me|us)\s*"
    r"(?:again|anymore|any\s+more|ever\s+again|[.!]*\s*$)|"
    r"\bremove\s+me\s+from\b|\btake\s+me\s+off\b|\bleave\s+me\s+alone\b|\bno\s+more\s+messages\b|"
    r"отпиш\w*|отписат\w*|не\s+пишите\s+(?:мне\s+)?больше|больше\s+(?:мне\s+)?не\s+пишите|"
    r"не\s+(?:пишите|звоните)\s+мне\s*(?:пожалуйста)?\s*[.!]*\s*$|"
    r"перестаньте\s+(?:мне\s+)?(?:писать|слать|присылать)|хватит\s+(?:мне\s+)?(?:писать|слать|спамить)|"
    r"удалите\s+(?:мой\s+номер|меня)|не\s+беспокойте|"
    r"لغو\s*(?:اشتراک|عضویت)|دیگه?\s*(?:به\s*من\s*)?پیام\s*(?:نده|ندید|ندهید|نفرستید|نفرست)|"
    r"دیگر\s*(?:به\s*من\s*)?پیام\s*(?:ندهید|نفرستید)|مزاحم\s*(?:نشوید|نشید|نشین)|(?:شماره|اسم)\s*(?:من|منو)\s*(?:را\s*)?حذف|"
    r"الغاء\s*(?:ال)?اشتراک|لا\s*(?:ترسل|ترسلوا)\s*(?:لی\s*)?(?:ای\s*)?(?:ال)?رسائل|لا\s*(?:تراسلنی|تراسلونی)\s*[.!]*\s*$|توقف\w*\s*عن\s*(?:مراسلتی|الارسال|ارسال)|"
    r"اوقف\w*\s*(?:ال)?رسائل|احذف\w*\s*(?:رقمی|اسمی)|احذفنی|لا\s*ارید\s*(?:ال)?رسائل"
)
_NEGATION_BEFORE = rx(r"(?:don'?t|do\s+not|not|never|не|نه|لا)\s*$")


def is_opt_out(text: str) -> bool:
    """True for "STOP", "unsubscribe", "отпишите меня", "لغو", "إلغاء الاشتراك"; False for "don't stop"."""
    folded = key(text)
    command = _NOT_LETTERS.sub(" ", _POLITE.sub(" ", folded)).split()
    if command and " ".join(dict.fromkeys(command)) in _STOP_COMMANDS:
        return True
    for match in _OPT_OUT_PHRASES.finditer(folded):
        if not _NEGATION_BEFORE.search(folded[max(0, match.start() - 12) : match.start()]):
            return True
    return False


# --- everything else ---------------------------------------------------------------------------------
_GREETING = rx(
    r"^\W*(?:hi|hello|hey|hiya|howdy|greetings|good\s+(?:morning|afternoon|evening|day)|"
    r"привет\w*|здравствуй\w*|здрасьте|добр(?:ый|ое|ого)\s+(?:день|вечер|утро|утра|дня|вечера)|салам|хай|"
    r"سلام|درود|وقت\s*(?:تون|شما)?\s*بخیر|صبح\s*بخیر|عصر\s*بخیر|"
    r"مرحبا|اهلا|هلا|السلام\s*عليكم|صباح\s*الخير|مساء\s*الخير)(?!\w)"
)
_SEARCH = rx(
    r"\bshow\s+(?:me|us)\b|\bsend\s+(?:me|us)\s+(?:some|more|the)?\s*(?:options|listings|villas|apartments|properties|photos|details)|"
    r"\bwhat\s+(?:do\s+you\s+have|have\s+you\s+got|options|is\s+available)|\bany\s+(?:options|listings|villas|apartments|properties|houses)\b|"
    r"\b(?:looking|searching)\s+for\b|\binterested\s+in\b|\b(?:options|listings)\b|\bfind\s+(?:me|us)\b|"
    r"\bsomething\s+(?:similar|else|cheaper|bigger|smaller)\b|\bmore\s+options\b|"
    r"\bищ(?:у|ем)\b|подбер\w*|покаж\w*|пришлите|скинь\w*|что\s+(?:есть|у\s+вас\s+есть|можете\s+предложить)|"
    r"есть\s+что-?\s*(?:нибудь|то)|вариант\w*|(?<!не\s)интересу\w*|предложит\w*|посоветуйт\w*|"
    r"دنبال|چه\s*(?:گزینه|موردی|ویلا|آپارتمان)|گزینه|نشون\s*(?:بدید|بده|بدین)|نشان\s*(?:بدهید|دهید|بده)|بفرستید|"
    r"ابحث|نبحث|اعرض|ارنی|ارسل\s*(?:لی|لنا)|ماذا\s*(?:لدیکم|عندکم)|خیارات|اقترح"
)
# "Do you have ...?" is a search only when it names something to buy or rent.
_HAVE = rx(
    r"\bdo\s+you\s+have\b|\bhave\s+you\s+got\b|\bany\b|есть\s+ли|у\s+вас\s+есть|\bесть\b|دارید|دارین|موجود|"
    r"هل\s*(?:لديكم|عندكم|يوجد|توجد)|عندكم|لديكم|متوفر|متاح"
)
_WANT = rx(
    r"\b(?:i|we)\s*(?:'d|would)?\s*(?:want|need|like|prefer)\b|\bi'?m\s+after\b|хочу|хотим|хотел\w*|нужн\w*|"
    r"می\s*خوا\w*|میخوا\w*|لازم\s*دارم|ارید|نرید|ابغی|ابغا|ودی|احتاج|نحتاج"
)
_BOOK = rx(
    r"\bviewings?\b|\bto\s+view\b|\bview\s+(?:it|the|this|that)\b|\bsee\s+(?:it|them|in\s+person)\b|"
    r"\b(?:see|visit)\s+(?:this|that|the|your)\s+(?:[\w-]+\s+){0,2}?(?:villa|property|place|house|apartment|flat|unit|land|plot|townhouse)s?\b|"
    r"\bvisit\s+(?:it|the|this|that)\b|\btour\b|\binspection\b|\bcome\s+(?:and\s+|to\s+)?(?:see|look)\b|\btake\s+a\s+look\b|"
    r"\b(?:book|schedule|arrange|set\s+up)\s+(?:a\s+)?(?:viewing|visit|tour|call|meeting|appointment|zoom)\b|\bvideo\s+call\b|\bzoom\b|"
    r"просмотр\w*|посмотреть\s+(?:вживую|лично|объект|на\s+месте|виллу|квартиру|дом|участок|е[её]|его)|приехать\s+посмотреть|записат\w*|запишите|осмотр\w*|"
    r"(?:назначить|договориться\s+о)\s+(?:встреч\w*|показ\w*)|показ\b|"
    r"بازدید|از\s*نزدیک\s*(?:ببینم|ببینیم)|ببینمش|وقت\s*(?:بازدید|ملاقات)|قرار\s*(?:بازدید|ملاقات|بذاریم|بگذاریم)|"
    r"معاينة|معاينه|زيارة|زياره|اشوف|نشوف|(?:رؤية|اری)\s*(?:ال)?(?:فيلا|شقة|عقار|بيت)|(?:احجز|حجز)\s*موعد|موعد\s*(?:لل)?(?:معاينة|زيارة)"
)
_RESCHEDULE = rx(
    r"\bre-?schedul\w*|\bpostpone\w*|\bmove\s+(?:it|the\s+(?:viewing|meeting|call|appointment|visit))\b|"
    r"\bchange\s+(?:the\s+)?(?:time|date|day)\b|\b(?:another|different|other)\s+(?:time|day|date|slot)\b|\bpush\s+(?:it\s+)?back\b|"
    r"\bbring\s+(?:it\s+)?forward\b|"
    r"перенес\w*|перенос\w*|перенест\w*|друго[ей]\s+(?:время|день)|другую\s+дату|изменить\s+(?:время|дату)|сдвинуть|"
    r"جابجا|جابه\s*جا|تغییر\s*(?:زمان|وقت|تاریخ|ساعت)|(?:زمان|وقت|روز)\s*(?:دیگه|دیگری)|عقب\s*(?:بندازیم|بیندازیم|انداختن)|به\s*تعویق|"
    r"تأجيل|تغيير\s*(?:ال)?(?:موعد|وقت|تاريخ)|موعد\s*آخر|وقت\s*آخر|يوم\s*آخر|تقديم\s*(?:ال)?موعد|نقل\s*(?:ال)?موعد"
)
_CANCEL = rx(
    r"\bcancel\w*|\bcall\s+(?:it\s+)?off\b|\bcan'?t\s+(?:make\s+it|come)\b|\bwon'?t\s+(?:make\s+it|be\s+able\s+to\s+come)\b|\bnot\s+coming\b|"
    r"отмен\w*|не\s+смогу\s+(?:прийти|приехать|быть)|не\s+при(?:ду|едем|еду)\b|"
    r"لغو|کنسل|نمی\s*(?:تونم|توانم)\s*(?:بیام|بیایم)|نمیام|"
    r"الغاء|الغي|ألغي|كنسل|لن\s*(?:اتمكن|استطيع)\s*(?:من\s*)?(?:الحضور|المجيء)|ما\s*(?:راح|رح)\s*اقدر"
)
_HUMAN = rx(
    r"\b(?:real|live|actual)\s+(?:person|human|agent)\b|\bhuman\b|"
    r"\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:a\s+|an\s+|the\s+|your\s+)?(?:person|someone|somebody|agent|manager|human|realtor|broker|sales)\b|"
    r"\b(?:an?|the|your|real|live)\s+agent\b|\bmanager\b|\boperator\b|\bgive\s+me\s+a\s+(?:call|ring)\b|\bphone\s+me\b|"
    # "call me back/tomorrow/at 5", not "call me Anna"
    r"\bcall\s+me\b(?=\s*(?:$|[,.!?;:+\d(]|back|tomorrow|today|now|later|please|pls|at|on|asap|when|in|after|this|next|any\s*time|whenever))|"
    r"\bring\s+me\b|\bcall\s*back\b|\bare\s+you\s+a\s+(?:bot|robot|real\s+person|human)\b|\bis\s+this\s+a\s+bot\b|"
    r"менеджер\w*|оператор(?:ом|а)\b|жив(?:ой|ым)\s+человек\w*|с\s+человеком|позвоните|перезвоните|наберите\s+(?:меня|мне)|"
    r"свяжитесь\s+со\s+мной|свяжите\s+(?:меня|с)|(?:с|со)\s+(?:агент|риелтор|риэлтор|специалист|консультант)\w*|"
    r"(?:ты|вы|это)\s+бот\b|"
    r"(?:یک|یه)\s*(?:آدم|انسان|شخص)|کارشناس|مشاور|اپراتور|(?:با\s*من|بهم)\s*(?:تماس\s*بگیرید|زنگ\s*بزنید)|"
    r"زنگ\s*(?:بزنید|بزن)|تماس\s*بگیرید|ربات\s*(?:هستی|هستید|ای)|آدم\s*واقعی|"
    r"(?:شخص|انسان)\s*حقيقي|موظف|مندوب|وكيل|اتصل\s*بي|اتصلوا\s*بي|كلمني|كلموني|تواصل\s*معي|تواصلوا\s*معي|"
    r"(?:اريد|ابغى)\s*(?:التحدث|اتكلم|اكلم)|هل\s*انت\s*(?:روبوت|بوت|انسان)"
)
_AFFIRM_FIRST = rx(
    r"^\W*(?:yes|yeah|yep|yup|yea|sure|absolutely|definitely|of\s+course|да|ага|угу|конечно|بله|آره|اره|حتما|"
    r"نعم|اكيد|ايوه|ايوا|طبعا|بالتاكيد|"
    # Confirming what the bot just read back: "That is correct", "That's right", "Всё верно", "درسته", "صحيح".
    r"(?:that'?s|that\s+is|it'?s|it\s+is)\s+(?:correct|right)|correct|exactly|(?:всё\s+|все\s+)?верно|правильно|"
    r"درسته|درست\s+است|صحيح|مظبوط)(?!\w)"
)
_AFFIRM_SHORT = rx(
    r"^\W*(?:ok|okay|k|alright|all\s+right|fine|great|perfect|nice|good(?!\s+(?:morning|afternoon|evening|day|night))|cool|deal|sounds\s+good|works\s+for\s+me|that\s+works|"
    r"you\s+got\s+it|that'?s\s+(?:perfect|great|fine|good)|go\s+ahead|book\s+it|"
    r"let'?s\s+do\s+it|ок|окей|хорошо|ладно|отлично|договорились|подходит|давайте|идёт|идет|باشه|اوکی|خوبه|عالیه|"
    r"موافقم|قبول|تمام|حسنا|موافق|ماشي|طيب|ممتاز|يناسبني)(?!\w)"
)
_AFFIRM_ANYWHERE = rx(
    r"\bsounds\s+(?:good|great|perfect)\b|\bworks\s+for\s+(?:me|us)\b|\bthat\s+works\b|\blet'?s\s+do\s+it\b|"
    r"подходит|договорились|موافقم|قبوله|يناسبني|يناسبنا|مناسب\s*(?:لي|جدا)"
)
_DENY_FIRST = rx(r"^\W*(?:no|nope|nah|нет|неа|не\s+надо|نه|نخیر|خیر|لا|لأ|كلا)(?!\w)(?P<rest>[\s\S]*)")
_DENY_ANYWHERE = rx(
    r"\bnot\s+interested\b|\bno\s+thank(?:s|\s+you)\b|\bnot\s+(?:now|anymore)\b|"
    r"не\s+интересн\w*|не\s+интересует|неинтересн\w*|не\s+нужно|"
    r"علاقه\s*(?:ای\s*)?ندارم|نمی\s*خوام|نمیخوام|"
    r"لا\s*شكرا|غير\s*مهتم|مش\s*مهتم|لست\s*مهتم\w*"
)
_THANKS = rx(
    r"\bthanks?\b|\bthank\s+you\b|\bthx\b|\bty\b|\btysm\b|\bappreciate\w*|\bcheers\b|"
    r"спасибо|спс\b|благодар\w*|мерси|ممنون|مرسی|سپاس|متشکر\w*|تشکر|مچکر\w*|شكرا|مشكور|يعطيك\s*العافية|تسلم"
)
_QUESTION = rx(
    r"\?|^\W*(?:what|how|when|where|which|who|why|is|are|can|could|do|does|did|will|would|should|may|any)\b|"
    r"^\W*(?:сколько|как|где|когда|что|какой|какая|какие|каков\w*|можно|почему|зачем|есть\s+ли)(?!\w)|\sли\b|"
    r"^\W*(?:چه|چطور|چگونه|کجا|آیا|چند|چقدر|چرا|کدام|کدوم)(?!\w)|"
    r"^\W*(?:هل|ماذا|كم|متى|أين|كيف|لماذا)(?!\w)"
)
_INJECTION = rx(
    r"\bignore\s+(?:(?:all|any|the|your|my|previous|prior|above|earlier|these|those|system|of)\s+)*(?:instructions|rules|prompts?|directions|guidelines)\b|"
    r"\bdisregard\s+(?:(?:all|any|the|your|previous|prior|above|earlier)\s+)*(?:instructions|rules|prompts?|guidelines)\b|"
    r"\bforget\s+(?:(?:all|any|the|your|previous|prior|above|earlier)\s+)*(?:instructions|rules|prompts?|guidelines)\b|"
    r"\bsystem\s+(?:prompt|message|instructions?)\b|"
    r"\b(?:reveal|show|print|repeat|output|tell\s+me)\s+(?:me\s+)?(?:your|the)\s+(?:system\s+|initial\s+|hidden\s+)?(?:prompt|instructions|rules)\b|"
    r"\byou(?:'re|\s+are)\s+now\b(?!\s+(?:in|at|on|available|open|back|here|there|ready|closed|busy|free\s+to|able)\b)|"
    r"\bfrom\s+now\s+on,?\s+you\s+(?:are|will|must|should)\b|"
    r"\bact\s+as\s+(?:if\s+you\s+(?:are|were)\s+)?(?:an?\s+)?(?:different|unrestricted|new|admin|developer|system|dan|jailbroken|evil)\b|"
    r"\bpretend\s+(?:to\s+be|you\s+are)\b|\bdeveloper\s+mode\b|\bjailbreak\w*|\bdo\s+anything\s+now\b|\bnew\s+instructions\b|\bsudo\b|"
    r"\b(?:show|list|give|send|tell|share)(?:\s+me)?\s+(?:all\s+|the\s+|your\s+)?(?:other|another|all\s+(?:your|the))\s+(?:leads?|clients?|customers?|users?|buyers?)\b|"
    r"\b(?:other|another)\s+(?:leads?|clients?|customers?|users?)'?s?\s+(?:data|info|information|details|phones?|numbers?|emails?|contacts?)\b|"
    r"\b(?:mark|set|make|flag|register|tag|add)\s+me\s+as\s+(?:an?\s+)?(?:admin|administrator|approved|verified|owner|manager|agent|rep|representative|staff|team\s+member)\b|"
    r"\b(?:make|promote)\s+me\s+(?:an?\s+)?(?:admin|administrator|owner|manager)\b|"
    r"\bi\s+am\s+(?:the\s+|an?\s+|your\s+)?(?:admin|administrator|developer|owner|creator|approved\s+(?:rep|agent))\b|"
    r"\b(?:grant|give)\s+me\s+(?:admin\s+|full\s+)?(?:access|permissions|privileges|rights)\b|\bapproved\s+rep\b|"
    r"игнорир\w*\s+(?:(?:все|всё|свои|предыдущие|прошлые|твои|ваши|системные)\s+)*(?:инструкци\w*|правил\w*|указани\w*|промпт\w*)|"
    r"забудь\w*\s+(?:(?:все|всё|свои|предыдущие|твои)\s+)*(?:инструкци\w*|правил\w*|указани\w*)|"
    r"системн\w+\s+(?:промпт\w*|инструкци\w*|сообщени\w*)|\bты\s+теперь\b|\bтеперь\s+ты\b|\bвы\s+теперь\b|"
    r"новые\s+инструкции|режим\s+разработчика|"
    r"покаж\w*\s+(?:мне\s+)?(?:всех\s+|других\s+|остальных\s+|чужих\s+)(?:лидов|клиентов|покупателей|пользователей|контакт\w*)|"
    r"(?:других|остальных|чужих)\s+(?:лидов|клиентов|покупателей)|"
    r"(?:сделай|отметь|пометь|назначь|запиши)\w*\s+меня\s+(?:как\s+)?(?:админ\w*|администратор\w*|одобренн\w*|подтвержденн\w*|менеджер\w*|владельц\w*|агент\w*)|"
    r"\bя\s+(?:админ|администратор|разработчик|владелец)\b|"
    r"(?:دستورالعمل|دستورات|قوانین|دستور|قواعد)\w*\s*(?:قبلی\s*)?(?:خود\s*|ت\s*)?(?:را\s*|رو\s*)?(?:نادیده|فراموش)|"
    r"(?:نادیده|فراموش)\s*(?:بگیر|کن)\w*\s*(?:همه\s*)?(?:دستور|قوانین)|پرامپت|(?:پیام|دستور)\s*(?:های\s*)?سیستم|"
    r"از\s*این\s*به\s*بعد\s*تو|تو\s*الان\s*(?:یک|یه)|(?:مشتری|مشتریان|لید|لیدهای|کاربران)\s*(?:های\s*)?دیگر|"
    r"(?:من|منو|مرا)\s*(?:را\s*)?(?:ادمین|مدیر|تایید\s*شده)\s*(?:کن|بکن|ثبت)|من\s*ادمین\s*هستم|دسترسی\s*(?:ادمین|مدیر)|"
    r"تجاهل\s*(?:جميع|كل|كافة)?\s*(?:ال)?(?:تعليمات|اوامر|قواعد)|انس\s*(?:جميع|كل)?\s*(?:ال)?(?:تعليمات|اوامر)|"
    r"(?:موجه|تعليمات|رسالة)\s*(?:ال)?نظام|من\s*الان\s*(?:فصاعدا\s*)?(?:انت|ستكون)|"
    r"انت\s*الان\s*(?:مساعد|نظام|بوت|روبوت|مطور|مسؤول|مشرف|ادمن)|تظاهر\s*بان|"
    r"(?:ال)?عملاء\s*(?:ال)?اخرين|بيانات\s*(?:ال)?عملاء|اجعلني\s*(?:مسؤول|مشرف|ادمن|مدير)|"
    r"(?:سجلني|اعتبرني)\s*(?:ك)?(?:مسؤول|مشرف|ادمن|وكيل\s*معتمد)|انا\s*(?:ال)?(?:ادمن|مشرف|مطور|مدير\s*النظام)|"
    r"صلاحيات\s*(?:ال)?(?:ادمن|مشرف|مسؤول)"
)
_SHORT_MESSAGE_WORDS = 4


def _words(folded: str) -> list[str]:
    return _NOT_LETTERS.sub(" ", folded).split()


def detect_intents(text: str) -> frozenset[Intent]:
    """Every intent the message shows; empty when it only carries slots (e.g. "3 bedrooms in Canggu")."""
    folded = key(text)
    found: set[Intent] = set()
    checks = (
        (Intent.GREETING, _GREETING),
        (Intent.BOOK_VIEWING, _BOOK),
        (Intent.RESCHEDULE, _RESCHEDULE),
        (Intent.CANCEL, _CANCEL),
        (Intent.HUMAN, _HUMAN),
        (Intent.THANKS, _THANKS),
        (Intent.QUESTION, _QUESTION),
        (Intent.INJECTION, _INJECTION),
        (Intent.DENY, _DENY_ANYWHERE),
        (Intent.AFFIRM, _AFFIRM_FIRST),
        (Intent.AFFIRM, _AFFIRM_ANYWHERE),
    )
    found.update(intent for intent, pattern in checks if pattern.search(folded))
    short = len(_words(folded)) <= _SHORT_MESSAGE_WORDS
    if (affirm := _AFFIRM_SHORT.search(folded)) and (short or re.match(r"\s*[,.!]", folded[affirm.end() :])):
        found.add(Intent.AFFIRM)
    if (deny := _DENY_FIRST.search(folded)) and (
        short or re.match(r"\s*[,.!;]", deny.group("rest")) or _THANKS.match(deny.group("rest").strip())
    ):
        found.add(Intent.DENY)
    wants_listing = bool(_WANT.search(folded) or _HAVE.search(folded)) and (
        parse_property_type(text) is not None or parse_bedrooms(text) is not None
    )
    if _SEARCH.search(folded) or wants_listing:
        found.add(Intent.SEARCH)
    if is_opt_out(text):
        found.add(Intent.OPT_OUT)
    return frozenset(found)
