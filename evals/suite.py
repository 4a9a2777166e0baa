"""The YAML suite format, parsed into pydantic models; every error names the file, the line and the field.

A suite is a file with a name, a threshold and cases. A case sets up a fresh tenant (its catalog, reps,
other leads, prospects), plays steps (actors sending text, pressing buttons, sharing contacts, starting
deep links; the clock moving on) and checks what happened. `evals/README.md` documents it with examples.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

Role = Literal["lead", "rep", "admin"]
StepAction = Literal["text", "press", "contact", "start", "reply", "voice", "wait", "at"]
TrajectoryMode = Literal["strict", "unordered", "subset", "superset"]
ArgsMode = Literal["exact", "subset", "superset", "ignore"]

ACTOR_ACTIONS: tuple[str, ...] = ("text", "press", "contact", "start", "reply", "voice")
CLOCK_ACTIONS: tuple[str, ...] = ("wait", "at")
_STEP_META = ("expect", "note")
_DURATION = re.compile(
    r"(\d+(?:\.\d+)?)\s*(days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\b", re.IGNORECASE
)
_DURATION_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


# -- errors ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SuiteIssue:
    """One problem in a suite file, located."""

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class SuiteError(ValueError):
    """A suite file that cannot be used; `issues` says where and why."""

    def __init__(self, issues: Sequence[SuiteIssue]) -> None:
        self.issues = sorted(issues, key=lambda issue: (issue.file, issue.line, issue.column))
        super().__init__("\n".join(str(issue) for issue in self.issues))


# -- small value types ----------------------------------------------------------------------------


def parse_duration(value: object) -> timedelta:
    """'2h', '1h 59m', '90m', '1d', '30s', or a number of minutes."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool):
        raise ValueError("a duration like '2h', '90m' or '1h 30m'")
    if isinstance(value, int | float):
        return timedelta(minutes=float(value))
    if not isinstance(value, str) or not value.strip():
        raise ValueError("a duration like '2h', '90m' or '1h 30m'")
    text = value.strip()
    matched = _DURATION.findall(text)
    if not matched or _DURATION.sub("", text).strip(" ,+"):
        raise ValueError(f"{value!r} is not a duration; write e.g. '2h', '90m', '1h 30m', '1d'")
    seconds = sum(float(amount) * _DURATION_UNITS[unit[0].lower()] for amount, unit in matched)
    return timedelta(seconds=seconds)


class Model(BaseModel):
    """Strict by default: a misspelt key is an error naming it, not a silently ignored option."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Matcher(Model):
    """What a value must be. In YAML: a plain value (equals), a list (one of), or a mapping of these."""

    equals: Any = None
    one_of: list[Any] | None = None
    min: float | None = None
    max: float | None = None
    present: bool | None = None
    contains: str | None = None
    matches: str | None = None
    null: bool = Field(default=False, description="The value must be empty (YAML `null`).")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        if value is None:
            return {"null": True}
        if isinstance(value, list):
            return {"one_of": value}
        if isinstance(value, dict) and set(value) <= set(cls.model_fields):
            return value
        if isinstance(value, dict):
            unknown = ", ".join(sorted(str(k) for k in set(value) - set(cls.model_fields)))
            raise ValueError(
                f"unknown matcher key(s) {unknown}; use equals, one_of, min, max, present, contains, matches"
            )
        return {"equals": value}

    @field_validator("matches")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        if value is not None:
            re.compile(value)
        return value

    def describe(self) -> str:
        parts: list[str] = []
        if self.null:
            parts.append("empty")
        if self.equals is not None:
            parts.append(f"= {self.equals!r}")
        if self.one_of is not None:
            parts.append(f"one of {self.one_of!r}")
        if self.min is not None:
            parts.append(f">= {self.min:g}")
        if self.max is not None:
            parts.append(f"<= {self.max:g}")
        if self.present is not None:
            parts.append("present" if self.present else "absent")
        if self.contains is not None:
            parts.append(f"contains {self.contains!r}")
        if self.matches is not None:
            parts.append(f"matches /{self.matches}/")
        return ", ".join(parts) or "anything"


# -- setup ----------------------------------------------------------------------------------------


class Actor(Model):
    """Someone who talks to a bot: a Telegram user. The runner gives each case its own user ids."""

    role: Role
    admin_scope: Literal["tenant", "global"] = Field(
        default="tenant",
        description="An admin of the case's agency (an active admin rep), or of every agency (ADMIN_TELEGRAM_IDS).",
    )
    first_name: str = "Test"
    last_name: str | None = None
    username: str | None = None
    language_code: str = "en"


class TenantSetup(Model):
    """The fresh tenant a case runs on. Unset fields keep the tenant defaults."""

    name: str | None = None
    time_zone: str | None = None
    default_language: str | None = None
    country_code: str | None = None
    default_currency: str | None = None
    quiet_hours_start: time | None = None
    quiet_hours_end: time | None = None
    ghost_after_minutes: int | None = None
    corporate_email_domain: str | None = None
    meeting_provider: Literal["zoom", "google_meet", "none"] | None = None
    sequences: Literal["default", "none"] = Field(
        default="default",
        description="Follow-up sequence templates: the product's defaults per temperature, or none.",
    )

    def merged(self, override: TenantSetup | None) -> TenantSetup:
        if override is None:
            return self
        return self.model_copy(update=override.model_dump(exclude_none=True))


class CatalogSpec(Model):
    """Listings imported into the case's tenant: the demo catalog, a file, or inline rows."""

    demo: bool = False
    file: str | None = None
    format: str | None = Field(
        default=None, description="json, csv or sgd; guessed from the file name when unset."
    )
    listings: list[dict[str, Any]] | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        if value == "demo":
            return {"demo": True}
        if isinstance(value, str):
            return {"file": value}
        if isinstance(value, list):
            return {"listings": value}
        return value

    @model_validator(mode="after")
    def _one_source(self) -> CatalogSpec:
        sources = sum((self.demo, self.file is not None, self.listings is not None))
        if sources != 1:
            raise ValueError("name exactly one of: demo, file, listings")
        return self


class RepSetup(Model):
    """A sales rep who already exists when the case starts."""

    actor: str | None = Field(default=None, description="The actor this rep is; omit for a rep nobody plays.")
    name: str = "Test Rep"
    email: str | None = None
    status: Literal["pending", "active", "suspended", "removed"] = "active"
    admin: bool = False
    language: str = "en"
    working_hours: dict[str, Any] | None = Field(
        default=None,
        description=(
            'Wall-clock windows per day in the tenant\'s zone, as reps store them: `{mon: ["09:00", "18:00"], '
            'sat: [["10:00", "13:00"], ["14:00", "16:00"]]}`; a day left out is a day off. '
            "Unset: the default hours (Monday to Saturday, 09:00-18:00)."
        ),
    )

    @field_validator("working_hours")
    @classmethod
    def _hours(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        """Read the way the calendar reads them, so a mistake is reported here and not mid-case."""
        if value is None:
            return None
        from agent.core.policies.slots import InvalidWorkingHours, parse_working_hours

        hours = {str(day): _wall_times(window) for day, window in value.items()}
        try:
            parse_working_hours(hours)
        except InvalidWorkingHours as exc:
            raise ValueError(f"working hours: {exc}") from None
        return hours


def _wall_times(value: object) -> object:
    """YAML 1.1 reads an unquoted 09:00 as the number 540 (base 60): turn it back into "09:00"."""
    if isinstance(value, list):
        return [_wall_times(item) for item in value]
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return f"{value // 60:02d}:{value % 60:02d}"
    return value


class LeadSetup(Model):
    """Another lead of the tenant, present before the case starts (e.g. to check nothing leaks)."""

    name: str
    phone: str | None = None
    email: str | None = None
    language: str = "en"
    location: str | None = None
    budget_max: float | None = None
    notes: str | None = None


class ProspectSetup(Model):
    id: str | None = None
    name: str
    telegram: str = Field(description="@username or numeric id")
    context: str | None = None
    email: str | None = None
    notes: str | None = None
    language: str = "ru"
    status: Literal["unreached", "contacted", "in_conversation", "converted", "archived"] = "unreached"
    assigned_to: str | None = Field(default=None, description="Name of a rep actor.")


# -- steps ----------------------------------------------------------------------------------------


class Step(Model):
    """One thing that happens: an actor does something, or the clock moves (then due jobs run)."""

    action: StepAction
    actor: str | None = None
    text: str | None = None
    repeat: int = Field(default=1, ge=1, le=1_000_000, description="Send `text` repeated this many times.")
    label: str | None = None
    phone: str | None = None
    first_name: str | None = None
    code: str | None = None
    seconds: int | None = None
    by: timedelta | None = None
    to: datetime | None = None
    run_jobs: bool = True
    expect: Expectations | None = None
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_yaml(cls, value: object) -> object:
        """`{lead: "hi"}`, `{lead: {press: "Yes"}}`, `{wait: "2h"}`, `{at: "2019-03-02T10:00"}`."""
        if not isinstance(value, dict):
            raise ValueError("a step is a mapping like `lead: Hello` or `wait: 2h`")
        if "action" in value:
            return value
        meta = {k: value[k] for k in _STEP_META if k in value}
        heads = [k for k in value if k not in _STEP_META]
        if len(heads) != 1:
            raise ValueError(f"a step names exactly one actor (or `wait` / `at`); found {heads or 'none'}")
        head = str(heads[0])
        body = value[heads[0]]
        if head == "wait":
            if isinstance(body, dict):
                return {"action": "wait", **body, **meta}
            return {"action": "wait", "by": parse_duration(body), **meta}
        if head == "at":
            if isinstance(body, dict):
                return {"action": "at", **body, **meta}
            return {"action": "at", "to": body, **meta}
        if isinstance(body, bool):
            raise ValueError(
                f'YAML reads yes/no/on/off as true/false: put the message in quotes, e.g. {head}: "Yes"'
            )
        if isinstance(body, str | int | float):
            return {"action": "text", "actor": head, "text": str(body), **meta}
        if not isinstance(body, dict):
            raise ValueError(f"`{head}:` takes a message or a mapping with one of {', '.join(ACTOR_ACTIONS)}")
        kinds = [k for k in body if k in ACTOR_ACTIONS]
        if len(kinds) != 1:
            raise ValueError(
                f"`{head}:` needs exactly one of {', '.join(ACTOR_ACTIONS)}; found {kinds or 'none'}"
            )
        kind = kinds[0]
        rest = {k: v for k, v in body.items() if k != kind}
        payload: dict[str, Any] = {"action": kind, "actor": head, **rest, **meta}
        arg = body[kind]
        if kind in ("text", "reply"):
            payload["text"] = None if arg is None else str(arg)
        elif kind == "press":
            payload["label"] = str(arg)
        elif kind == "contact":
            payload["phone"] = str(arg)
        elif kind == "start":
            payload["code"] = None if arg in (None, "") else str(arg)
        elif kind == "voice":
            payload["seconds"] = arg
        return payload

    @field_validator("by", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        return None if value is None else parse_duration(value)

    @model_validator(mode="after")
    def _complete(self) -> Step:
        needs = {
            "text": "text",
            "reply": "text",
            "press": "label",
            "contact": "phone",
            "wait": "by",
            "at": "to",
        }
        field = needs.get(self.action)
        if field is not None and getattr(self, field) is None:
            raise ValueError(f"`{self.action}` needs a value")
        if self.action in ACTOR_ACTIONS and not self.actor:
            raise ValueError(f"`{self.action}` needs an actor")
        return self

    @property
    def message(self) -> str:
        return (self.text or "") * self.repeat

    def summary(self) -> str:
        if self.action == "wait":
            return f"wait {self.by}"
        if self.action == "at":
            return f"clock to {self.to}"
        detail = {
            "text": self.message[:80],
            "reply": f"(reply) {self.message[:80]}",
            "press": f"[{self.label}]",
            "contact": f"(contact {self.phone})",
            "start": f"/start {self.code or ''}".strip(),
            "voice": f"(voice {self.seconds or 3}s)",
        }[self.action]
        return f"{self.actor}: {detail}"


# -- expectations ---------------------------------------------------------------------------------


class ToolCallSpec(Model):
    name: str
    args: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        return {"name": value} if isinstance(value, str) else value


class ToolsExpectation(Model):
    """The tool trajectory, matched as openevals/agentevals define the modes."""

    mode: TrajectoryMode = "superset"
    args: ArgsMode = "superset"
    calls: list[ToolCallSpec] = Field(default_factory=list)
    never: list[str] = Field(default_factory=list, description="Tools that must not be called at all.")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        return {"calls": value} if isinstance(value, list) else value


class MessagesExpectation(Model):
    """What the bots said to one actor (the lead unless `to` says otherwise)."""

    to: str = "lead"
    language: str | None = None
    contains: list[str] = Field(default_factory=list)
    contains_any: list[str] = Field(default_factory=list)
    not_contains: list[str] = Field(default_factory=list)
    max_length: int | None = None
    count: Matcher | None = None
    buttons: list[str] = Field(default_factory=list, description="Button labels that must have been offered.")
    photos: Matcher | None = Field(
        default=None, description="How many photos were sent (a photo, or each photo of an album)."
    )

    @field_validator("contains", "contains_any", "not_contains", "buttons", mode="before")
    @classmethod
    def _listify(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value


class RepExpectation(Model):
    actor: str
    exists: bool = True
    status: Matcher | None = None
    email: Matcher | None = None
    name: Matcher | None = None
    admin: bool | None = None
    calendar_requested: bool | None = None


class ProspectExpectation(Model):
    name: str
    status: Matcher | None = None
    assigned_to: str | list[str] | None = Field(
        default=None, description="A rep actor's name (or a list: any of them), or `nobody`."
    )
    contacted: bool | None = Field(default=None, description="last_contact_at is set.")


class ViewingExpectation(Model):
    count: Matcher | None = None
    property: str | None = Field(default=None, description="Title or external id of the booked listing.")
    date: dt.date | None = Field(default=None, description="The viewing's date in the tenant's time zone.")
    time: dt.time | None = Field(
        default=None, description="The viewing's start (HH:MM) in the tenant's time zone."
    )
    status: Matcher | None = None

    @field_validator("time", mode="before")
    @classmethod
    def _time(cls, value: object) -> object:
        return _wall_times(value)


class FollowUpExpectation(Model):
    """Sends in the follow-up ledger for the lead (or all of the tenant's with `scope: tenant`)."""

    kind: str | None = Field(default=None, description="Step key prefix: ghost, seq, outreach, reminder.")
    sent: Matcher | None = None
    held: Matcher | None = None
    cancelled: Matcher | None = None
    scope: Literal["lead", "tenant"] = "lead"


class AlertExpectation(Model):
    kind: str | None = Field(default=None, description="phone_captured | burning")
    count: Matcher | None = None
    delivered: bool | None = None
    to: list[str] = Field(default_factory=list, description="Actors whose chat must have received it.")

    @field_validator("to", mode="before")
    @classmethod
    def _listify(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value


class Expectations(Model):
    """What must be true after a step (scoped to that step) or at the end of a case (the whole case)."""

    lead: dict[str, Matcher] = Field(default_factory=dict, description="Fields of the lead's record.")
    lead_actor: str = "lead"
    score: Matcher | None = None
    temperature: Matcher | None = None
    tools: ToolsExpectation | None = None
    messages: list[MessagesExpectation] = Field(default_factory=list)
    reps: list[RepExpectation] = Field(default_factory=list)
    prospects: list[ProspectExpectation] = Field(default_factory=list)
    viewings: ViewingExpectation | None = None
    followups: list[FollowUpExpectation] = Field(default_factory=list)
    alerts: list[AlertExpectation] = Field(default_factory=list)
    other_leads_unchanged: bool = False
    leads_count: Matcher | None = Field(default=None, description="How many leads the tenant has.")

    @field_validator("messages", "reps", "prospects", "followups", "alerts", mode="before")
    @classmethod
    def _listify(cls, value: object) -> object:
        return [value] if isinstance(value, dict) else value

    def is_empty(self) -> bool:
        return self == Expectations(lead_actor=self.lead_actor)


LIST_LEAD_FIELDS = frozenset({"property_types", "locations"})
"""Either/or preferences, a list each ("house or villa", "Canggu or Seminyak"): read from the lead's column
of that name, or from `leads.extra` while the model keeps them there."""


def lead_fields() -> frozenset[str]:
    """The columns of `leads` a case may check (ids and bookkeeping excluded), and the list-valued preferences."""
    from storage.models import Lead

    hidden = {"id", "tenant_id", "extra", "created_at", "updated_at"}
    return frozenset(c.key for c in Lead.__table__.columns if c.key not in hidden) | LIST_LEAD_FIELDS


# -- cases and suites -----------------------------------------------------------------------------


class CaseDefaults(Model):
    tenant: TenantSetup = Field(default_factory=TenantSetup)
    catalog: CatalogSpec | None = None
    clock: datetime | None = None
    language: str | None = None
    actors: dict[str, Actor] = Field(default_factory=dict)
    reps: list[RepSetup] = Field(default_factory=list)


class Case(Model):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$", max_length=120)
    description: str | None = None
    tags: list[str] = Field(default_factory=list)
    language: str | None = Field(
        default=None,
        description="The language every reply to the lead must be in; `null` turns the default off.",
    )
    clock: datetime | None = Field(
        default=None, description="Start time; a time without offset is tenant-local."
    )
    tenant: TenantSetup | None = None
    catalog: CatalogSpec | None = None
    actors: dict[str, Actor] = Field(default_factory=dict)
    reps: list[RepSetup] | None = None
    leads: list[LeadSetup] = Field(default_factory=list)
    prospects: list[ProspectSetup] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=1)
    expect: Expectations = Field(default_factory=Expectations)
    source: dict[str, Any] | None = Field(default=None, description="Where the case came from (converters).")

    @field_validator("prospects", mode="before")
    @classmethod
    def _demo_prospects(cls, value: object) -> object:
        """`prospects: demo` is the registry specification's three test prospects."""
        if value != "demo":
            return value
        from agent.services.catalog.demo import DEMO_PROSPECTS

        return [
            {k: p[k] for k in ("name", "context", "email", "notes", "language", "status") if k in p}
            | {"telegram": p["telegram_id"]}
            for p in DEMO_PROSPECTS
        ]


class Suite(Model):
    name: str
    description: str | None = None
    threshold: float = Field(ge=0.0, le=1.0, description="Minimum share of case trials that must pass.")
    license: str | None = None
    defaults: CaseDefaults = Field(default_factory=CaseDefaults)
    cases: list[Case] = Field(min_length=1)
    path: str = ""

    def case(self, case_id: str) -> Case:
        for case in self.cases:
            if case.id == case_id:
                return case
        raise KeyError(case_id)


Step.model_rebuild()


@dataclass(frozen=True)
class ResolvedCase:
    """A case with the suite defaults applied: what the runner plays."""

    suite: str
    case: Case
    tenant: TenantSetup
    catalog: CatalogSpec | None
    clock: datetime | None
    language: str | None
    actors: dict[str, Actor]
    reps: list[RepSetup]
    base_dir: Path

    @property
    def id(self) -> str:
        return self.case.id


def resolve(suite: Suite) -> list[ResolvedCase]:
    defaults = suite.defaults
    base_dir = Path(suite.path).parent if suite.path else Path.cwd()
    resolved = []
    for case in suite.cases:
        actors = {**defaults.actors, **case.actors}
        resolved.append(
            ResolvedCase(
                suite=suite.name,
                case=case,
                tenant=defaults.tenant.merged(case.tenant),
                catalog=case.catalog or defaults.catalog,
                clock=case.clock or defaults.clock,
                language=case.language if "language" in case.model_fields_set else defaults.language,
                actors=_with_implicit_actors(actors, case),
                reps=case.reps if case.reps is not None else defaults.reps,
                base_dir=base_dir,
            )
        )
    return resolved


def _with_implicit_actors(actors: dict[str, Actor], case: Case) -> dict[str, Actor]:
    """`lead`, `rep` and `admin` need no declaration: their role is their name."""
    result = dict(actors)
    for name in _actor_names(case):
        if name not in result and name in ("lead", "rep", "admin"):
            result[name] = Actor(role=name)  # type: ignore[arg-type]
    result.setdefault("lead", Actor(role="lead"))
    return result


def _actor_names(case: Case) -> Iterator[str]:
    for step in case.steps:
        if step.actor:
            yield step.actor
    for rep in case.reps or ():
        if rep.actor:
            yield rep.actor
    for setup in case.prospects:
        if setup.assigned_to:
            yield setup.assigned_to
    for expect in [case.expect, *(s.expect for s in case.steps if s.expect)]:
        if expect is None:
            continue
        yield expect.lead_actor
        yield from (m.to for m in expect.messages)
        yield from (r.actor for r in expect.reps)
        for prospect in expect.prospects:
            names = (
                [prospect.assigned_to]
                if isinstance(prospect.assigned_to, str)
                else prospect.assigned_to or []
            )
            yield from (name for name in names if name != "nobody")
        yield from (actor for a in expect.alerts for actor in a.to)


# -- loading with line numbers --------------------------------------------------------------------


class _Located:
    """The YAML node tree beside the data, to turn a pydantic `loc` into a line."""

    def __init__(self, root: yaml.Node) -> None:
        self.root = root

    def node_at(self, loc: Sequence[int | str]) -> tuple[yaml.Node, list[str]]:
        """The deepest node on `loc`, and the part of `loc` that was found in the file."""
        node = self.root
        found: list[str] = []
        for part in loc:
            child = _child(node, part)
            if child is None:
                continue  # pydantic's own loc parts (union tags, `function-after[...]`) are not in the file
            node = child
            found.append(f"[{part}]" if isinstance(part, int) else str(part))
        return node, found


def _child(node: yaml.Node, part: int | str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return value
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    return None


def _key_node(node: yaml.Node, part: int | str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return key
    return None


def _field_path(loc: Sequence[int | str]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif "[" in str(part) or part in ("function-after", "function-before"):
            continue
        else:
            text += ("." if text else "") + str(part)
    return text


def _duplicate_keys(node: yaml.Node, file: str, path: str = "") -> Iterator[SuiteIssue]:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            here = f"{path}.{name}" if path else name
            if name in seen:
                mark = key.start_mark
                yield SuiteIssue(
                    file, mark.line + 1, mark.column + 1, here, "appears twice in the same mapping"
                )
            seen.add(name)
            yield from _duplicate_keys(value, file, here)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _duplicate_keys(item, file, f"{path}[{index}]")


def _message(error: Mapping[str, Any]) -> str:
    message = str(error.get("msg", "invalid"))
    kind = error.get("type")
    if kind == "extra_forbidden":
        return "unknown field (check its spelling)"
    if kind == "missing":
        return "is required"
    return message.removeprefix("Value error, ")


def parse_suite(text: str, file: str = "<suite>") -> Suite:
    """Parse a suite's YAML text; raise SuiteError naming the file, the line and the field."""
    # A converted suite is a million small objects: collecting them while they are built costs more than the parse.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _parse_suite(text, file)
    finally:
        if enabled:
            gc.enable()


def _parse_suite(text: str, file: str) -> Suite:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise SuiteError(
                [SuiteIssue(file, 1, 1, "", "the file is empty; a suite needs name, threshold and cases")]
            )
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise SuiteError(
            [SuiteIssue(file, line, column, "", f"not valid YAML: {exc.problem or exc}")]
        ) from None
    finally:
        loader.dispose()
    issues = list(_duplicate_keys(node, file))
    if not isinstance(data, dict):
        issues.append(SuiteIssue(file, 1, 1, "", "a suite is a mapping with name, threshold and cases"))
        raise SuiteError(issues)
    located = _Located(node)
    issues.extend(_lead_field_issues(data, located, file))
    try:
        suite = Suite.model_validate({**data, "path": file})
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            target, _ = located.node_at(loc)
            if error.get("type") == "extra_forbidden" and loc:
                parent, _ = located.node_at(loc[:-1])
                target = _key_node(parent, loc[-1]) or target
            mark = target.start_mark
            issues.append(SuiteIssue(file, mark.line + 1, mark.column + 1, _field_path(loc), _message(error)))
        raise SuiteError(issues) from None
    issues.extend(_reference_issues(suite, located, file))
    if issues:
        raise SuiteError(issues)
    return suite


def _lead_field_issues(data: dict[str, Any], located: _Located, file: str) -> Iterator[SuiteIssue]:
    """Misspelt lead fields, found in the raw data so they are reported with every other mistake."""
    known = lead_fields()
    cases = data.get("cases")
    for index, case in enumerate(cases if isinstance(cases, list) else []):
        if not isinstance(case, dict):
            continue
        steps = case.get("steps")
        scopes: list[tuple[tuple[int | str, ...], object]] = [
            (("cases", index, "expect"), case.get("expect"))
        ]
        for i, step in enumerate(steps if isinstance(steps, list) else []):
            if isinstance(step, dict):
                scopes.append((("cases", index, "steps", i, "expect"), step.get("expect")))
        for loc, expect in scopes:
            lead = expect.get("lead") if isinstance(expect, dict) else None
            for name in (
                sorted(str(key) for key in lead if str(key) not in known) if isinstance(lead, dict) else ()
            ):
                hint = difflib.get_close_matches(name, known, n=1)
                parent, _ = located.node_at((*loc, "lead"))
                key = _key_node(parent, name) or parent
                yield SuiteIssue(
                    file,
                    key.start_mark.line + 1,
                    key.start_mark.column + 1,
                    _field_path((*loc, "lead", name)),
                    f"not a lead field{f' (did you mean {hint[0]}?)' if hint else ''}; see evals/README.md",
                )


def _reference_issues(suite: Suite, located: _Located, file: str) -> Iterator[SuiteIssue]:
    """What pydantic cannot see: unique case ids, steps by declared actors, roles that can do the step."""

    def issue(loc: tuple[int | str, ...], message: str) -> SuiteIssue:
        node, _ = located.node_at(loc)
        return SuiteIssue(
            file, node.start_mark.line + 1, node.start_mark.column + 1, _field_path(loc), message
        )

    seen: dict[str, int] = {}
    for index, case in enumerate(suite.cases):
        if case.id in seen:
            yield issue(("cases", index, "id"), f"duplicate case id (also cases[{seen[case.id]}])")
        seen.setdefault(case.id, index)
    for resolved in resolve(suite):
        index = suite.cases.index(resolved.case)
        for step_index, step in enumerate(resolved.case.steps):
            if step.actor is None:
                continue
            actor = resolved.actors.get(step.actor)
            if actor is None:
                yield issue(
                    ("cases", index, "steps", step_index),
                    f"unknown actor {step.actor!r}; declare it under `actors:` (with a role) or use lead, rep or admin",
                )
            elif step.action in ("contact", "voice") and actor.role != "lead":
                yield issue(
                    ("cases", index, "steps", step_index), f"only a lead sends a {step.action} in a case"
                )
        for name in _actor_names(resolved.case):
            if name not in resolved.actors:
                yield issue(("cases", index), f"unknown actor {name!r}; declare it under `actors:`")
        if resolved.catalog and resolved.catalog.file:
            path = (resolved.base_dir / resolved.catalog.file).resolve()
            if not path.exists():
                where: tuple[int | str, ...] = (
                    ("cases", index, "catalog") if resolved.case.catalog else ("defaults", "catalog")
                )
                yield issue(where, f"catalog file {path} does not exist")
        expects = [resolved.case.expect, *(s.expect for s in resolved.case.steps if s.expect)]
        if all(e is None or e.is_empty() for e in expects) and not resolved.language:
            yield issue(("cases", index), "the case checks nothing: add `expect:` (or a `language:`)")


def load_suite(path: str | Path) -> Suite:
    """Read and parse one suite file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SuiteError(
            [SuiteIssue(str(path), 1, 1, "", f"cannot read the file: {exc.strerror or exc}")]
        ) from None
    except UnicodeDecodeError:
        raise SuiteError([SuiteIssue(str(path), 1, 1, "", "the file is not UTF-8 text")]) from None
    return parse_suite(text, str(path))


def suite_files(paths: Sequence[str | Path]) -> list[Path]:
    """The suite files named, folders expanded to their *.yaml / *.yml files in name order."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml")))
        else:
            files.append(path)
    return files
