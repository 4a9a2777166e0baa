"""What one imported listing must look like: validated with pydantic at the edge, stored as a ListingRecord."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from agent.core.nlu.language import LANGUAGES
from storage.enums import PropertyStatus, PropertyType, Transaction
from storage.repositories.listings import ListingRecord

# Active ISO 4217 currency codes (2025), without funds, metals and test codes. Vetted by hand, on purpose small.
CURRENCIES = frozenset(
    """
    AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF
    CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD
    HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD
    LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK
    PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS
    TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
    """.split()
)

MAX_PRICE = Decimal("99999999999999")  # Numeric(16, 2)

COLUMNS: tuple[str, ...] = (
    "external_id",
    "title",
    "description",
    "property_type",
    "transaction",
    "price",
    "currency",
    "price_period",
    "bedrooms",
    "bathrooms",
    "size_m2",
    "location",
    "address",
    "units_available",
    "amenities",
    "pets_allowed",
    "furnished",
    "photos",
    "status",
    "language",
    "translations",
)
TRANSLATED = ("title", "description")
"""Texts a catalog may give per language: columns `title_ru`, `description_fa`, ... (or `translations`)."""
TRANSLATION_COLUMNS = tuple(f"{name}_{code}" for code in LANGUAGES for name in TRANSLATED)
COLUMNS += TRANSLATION_COLUMNS
REQUIRED_COLUMNS = ("external_id", "title", "property_type", "transaction", "price", "location")

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _split_list(value: Any) -> Any:
    """`"pool; garden"` or `["pool", "garden"]` -> `["pool", "garden"]`; empty -> `[]`."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.replace("|", ";").split(";")
    if isinstance(value, list | tuple):
        return [str(item).strip() for item in value if str(item).strip()]
    return value


def _gather_translations(data: dict[str, Any]) -> dict[str, Any]:
    """`title_ru`, `description_fa` ... folded into `translations` {"ru": {"title": ...}}, beside any given."""
    columns = {key: data[key] for key in TRANSLATION_COLUMNS if key in data}
    given = data.get("translations")
    if not columns or not isinstance(given, dict | None):
        return data  # nothing to fold in, or a malformed `translations` that validation reports
    rest = {key: value for key, value in data.items() if key not in columns}
    translations = {
        code: dict(texts) if isinstance(texts, dict) else texts for code, texts in (given or {}).items()
    }
    for key, value in columns.items():
        name, code = key.rsplit("_", 1)
        texts = translations.setdefault(code, {})
        if isinstance(texts, dict):
            texts[name] = value
    rest["translations"] = translations
    return rest


class ListingTexts(BaseModel):
    """A listing's title and description in one language."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    title: Annotated[str, Field(max_length=300)] | None = None
    description: str | None = None


class ListingIn(BaseModel):
    """One listing of an import file. Empty CSV cells count as missing."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    external_id: Annotated[ShortText, Field(max_length=120)]
    title: Annotated[ShortText, Field(max_length=300)]
    description: str = ""
    property_type: PropertyType
    transaction: Transaction
    price: Decimal
    currency: str
    price_period: Literal["month", "year"] | None = None
    bedrooms: Annotated[int, Field(ge=0, le=1000)] | None = None
    bathrooms: Annotated[Decimal, Field(ge=0, le=999)] | None = None
    size_m2: Annotated[Decimal, Field(gt=0, le=999_999_999)] | None = None
    location: Annotated[ShortText, Field(max_length=120)]
    address: Annotated[str, Field(max_length=300)] | None = None
    units_available: Annotated[int, Field(ge=0, le=1_000_000)] = 1
    amenities: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list)
    pets_allowed: bool | None = None
    furnished: bool | None = None
    photos: list[str] = Field(default_factory=list)
    status: PropertyStatus = PropertyStatus.AVAILABLE
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[a-z0-9]{2,4})?$")] = "en"
    translations: dict[str, ListingTexts] = Field(default_factory=dict)
    extra: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _blank_cells_are_missing(cls, data: Any, info: ValidationInfo) -> Any:
        if not isinstance(data, dict):
            raise ValueError(f"a listing must be an object, got {type(data).__name__}")
        cleaned = {
            key: (None if isinstance(value, str) and not value.strip() else value)
            for key, value in data.items()
        }
        cleaned = {key: value for key, value in cleaned.items() if value is not None}
        cleaned = _gather_translations(cleaned)
        if "currency" not in cleaned and info.context and info.context.get("default_currency"):
            cleaned["currency"] = info.context["default_currency"]
        return cleaned

    @field_validator("translations", mode="after")
    @classmethod
    def _known_languages(cls, value: dict[str, ListingTexts]) -> dict[str, ListingTexts]:
        unknown = sorted(code for code in value if code not in LANGUAGES)
        if unknown:
            raise ValueError(f"unknown language(s) {', '.join(unknown)}: use {', '.join(LANGUAGES)}")
        return {code: texts for code, texts in value.items() if texts.title or texts.description}

    @field_validator("property_type", "transaction", "status", "price_period", "language", mode="before")
    @classmethod
    def _lowercase(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("price", mode="before")
    @classmethod
    def _price(cls, value: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            raise ValueError(f"must be a number, got {type(value).__name__}")
        try:
            price = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"must be a number like 450000 or 1850.50, got {value!r}") from None
        if not price.is_finite():
            raise ValueError(f"must be a finite number, got {value!r}")
        if price < 0:
            raise ValueError(f"must not be negative, got {value}")
        if price > MAX_PRICE:
            raise ValueError(f"is too large ({value})")
        return price.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        code = value.strip().upper()
        if code not in CURRENCIES:
            raise ValueError(f"unknown currency {value!r}: use an ISO 4217 code such as USD, EUR, IDR")
        return code

    @field_validator("size_m2", "bathrooms", mode="after")
    @classmethod
    def _one_decimal(cls, value: Decimal | None) -> Decimal | None:
        return None if value is None else value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @field_validator("amenities", "photos", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return _split_list(value)

    @field_validator("photos", mode="after")
    @classmethod
    def _photo_urls(cls, value: list[str]) -> list[str]:
        for url in value:
            if not url.startswith(("https://", "http://")):
                raise ValueError(f"photo {url!r} is not an http(s) URL")
        return value

    @model_validator(mode="after")
    def _period_matches_transaction(self) -> ListingIn:
        if self.transaction is Transaction.SALE and self.price_period is not None:
            raise ValueError(f"price_period {self.price_period!r} is only for rentals (transaction is sale)")
        if self.transaction is Transaction.RENT and self.price_period is None:
            self.price_period = "month"
        return self

    def to_record(self) -> ListingRecord:
        return ListingRecord(
            external_id=self.external_id,
            title=self.title,
            description=self.description,
            property_type=self.property_type.value,
            transaction=self.transaction.value,
            price=self.price,
            currency=self.currency,
            price_period=self.price_period,
            bedrooms=self.bedrooms,
            bathrooms=self.bathrooms,
            size_m2=self.size_m2,
            location=self.location,
            address=self.address,
            units_available=self.units_available,
            amenities=tuple(self.amenities),
            pets_allowed=self.pets_allowed,
            furnished=self.furnished,
            photos=tuple(self.photos),
            status=self.status.value,
            language=self.language,
            translations={
                code: texts.model_dump(exclude_none=True) for code, texts in self.translations.items()
            },
            extra=self.extra,
        )
