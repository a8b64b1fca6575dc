"""The data model: every value that crosses a stage boundary.

Nothing in this module imports from the rest of the package, so every stage can depend on it.
Field names follow ACLED where ACLED has one; UCDP-only notions (where_prec, date_prec, low/best/high)
sit beside them.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

EventType = Literal[
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
]

SubEventType = Literal[
    "Armed clash",
    "Government regains territory",
    "Non-state actor overtakes territory",
    "Chemical weapon",
    "Air/drone strike",
    "Suicide bomb",
    "Shelling/artillery/missile attack",
    "Remote explosive/landmine/IED",
    "Grenade",
    "Sexual violence",
    "Attack",
    "Abduction/forced disappearance",
    "Peaceful protest",
    "Protest with intervention",
    "Excessive force against protesters",
    "Violent demonstration",
    "Mob violence",
    "Agreement",
    "Arrests",
    "Change to group/activity",
    "Disrupted weapons use",
    "Headquarters or base established",
    "Looting/property destruction",
    "Non-violent transfer of territory",
    "Other",
]

#: ACLED's taxonomy: each sub-event type belongs to exactly one event type.
TAXONOMY: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
EVENT_TYPE_OF: dict[str, str] = {sub: et for et, subs in TAXONOMY.items() for sub in subs}

DisorderType = Literal["Political violence", "Demonstrations", "Strategic developments"]

FigureKind = Literal[
    "killed",
    "injured",
    "abducted",
    "arrested",
    "displaced",
    "weapons_seized",
    "ammunition_seized",
    "vehicles_seized",
    "vehicles_destroyed",
    "buildings_destroyed",
    "convoy_size",
    "duration",
    "time_of_day",
    "other",
]
About = Literal["soldiers", "police", "security_forces", "militants", "civilians", "unknown"]
ClaimantRole = Literal[
    "armed group",
    "government",
    "security forces",
    "official",
    "humanitarian",
    "medical",
    "media",
    "witness",
    "unattributed",
]
Stance = Literal["claims", "confirms", "denies", "reports"]


def normalize_text(text: str) -> str:
    """Normalize article text so that the same report always hashes the same (NFC, LF line ends)."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def article_id_for(text: str) -> str:
    """Stable article id: a short hash of the normalized text.

    >>> article_id_for("A report.") == article_id_for("A report.\\r\\n".rstrip())
    True
    """
    return hashlib.sha256(normalize_text(text).strip().encode("utf-8")).hexdigest()[:16]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Article(Frozen):
    """One input document: text plus metadata. `text` is what every Evidence offset indexes."""

    article_id: str
    id: str | None = Field(None, description="The caller's own id for the input, kept as given.")
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: date | None = None
    language: str = "en"
    text: str
    source_path: str | None = Field(None, description="File the article was read from ('-' for stdin).")


class Evidence(Frozen):
    """An exact slice of an article: `article.text[start:end] == text`."""

    article_id: str
    start: int
    end: int
    text: str


#: A figure: a finite number (strict JSON has no Infinity or NaN; extract/figures.py bounds what it reads).
Figure = Annotated[float, Field(allow_inf_nan=False)]


class ValueRange(Frozen):
    """A quantity as reported: `low == high` for an exact figure, `high=None` when open-ended."""

    low: Figure
    high: Figure | None


class Claim(Frozen):
    """One figure as stated by one source, with the sentence that says so."""

    claimant: str
    claimant_role: ClaimantRole
    spokesperson: str | None = None
    stance: Stance
    figure: FigureKind
    about: About = "unknown"
    value: ValueRange
    unit: str | None = None
    item: str | None = None
    hedge: str | None = None
    subset: bool = Field(
        default=False,
        description="A breakdown of the claimant's previous figure ('including three civilians'), "
        "not added to totals.",
    )
    text: str = Field(description="The clause or sentence carrying the claim.")
    evidence: Evidence


class Range3(Frozen):
    """UCDP-style low / best / high. `high` is None when every source gave an open-ended figure."""

    low: Figure
    best: Figure
    high: Figure | None


class DisputedValue(Frozen):
    claimant: str
    stance: Stance
    value: ValueRange


class Dispute(Frozen):
    """Two or more sources give different values for the same figure of the same event."""

    figure: FigureKind
    item: str | None = None
    values: list[DisputedValue]


class ReconciledFigure(Frozen):
    figure: FigureKind
    item: str | None = None
    about: About = "unknown"
    range: Range3
    rule: str = Field(description="Which reconciliation rule produced `range.best`.")


class Location(Frozen):
    """A place resolved into the admin hierarchy, with ACLED and UCDP precision codes and the reason."""

    location: str
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    country: str | None = None
    iso3: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int = Field(3, description="ACLED: 1 town, 2 part of/near a region, 3 province.")
    where_prec: int = Field(6, description="UCDP: 1 exact place ... 7 water/airspace.")
    geonames_id: int | None = None
    reason: str


class TypeReason(BaseModel):
    """Why an event has its sub-event type: the rules of extract/typing_rules.py that fired, or the user's
    trained model that overruled them (learn/combine.py)."""

    model_config = ConfigDict(extra="forbid")

    by: Literal["rules", "model"]
    rules: list[str] = Field(
        default_factory=list, description="Ids of the typing rules that fired, in order."
    )
    trigger: str | None = Field(None, description="The trigger phrase the winning rule read.")
    text: str = Field(description="The decision in words.")
    model: str | None = Field(None, description="The trained model that chose the type, when one did.")
    probability: float | None = Field(None, description="That model's probability for the type.")


class SentenceDecision(BaseModel):
    """A sentence of the article and whether it was grouped into the event's incident, and why."""

    model_config = ConfigDict(extra="forbid")

    sentence: int = Field(description="Index of the sentence in the article, from 0.")
    text: str
    joined: bool
    why: str


class Choice(BaseModel):
    """A value the coder chose (an actor, the place) or left out, with the text it read and why."""

    model_config = ConfigDict(extra="forbid")

    value: str | None
    mention: str | None = Field(None, description="The words of the article it was read from.")
    why: str


class Explanation(BaseModel):
    """Why the event is what it is (`code --explain` only)."""

    model_config = ConfigDict(extra="forbid")

    trigger: str = Field(description="The trigger words that typed the event, as written.")
    trigger_sentence: int
    sentences: list[SentenceDecision] = Field(
        description="The incident's sentences and its neighbours (one before and one after)."
    )
    type_rules: list[str] = Field(description="The typing rules that fired: 'id: what it does'.")
    actor1: Choice
    actor2: Choice
    actors_left_out: list[Choice] = Field(default_factory=list)
    place: Choice
    places_left_out: list[Choice] = Field(default_factory=list)


class Event(BaseModel):
    """One incident, with ACLED's field names where ACLED has one."""

    model_config = ConfigDict(extra="forbid")

    event_id: str
    event_date: date | None = None
    time_precision: int | None = Field(None, description="ACLED: 1 day, 2 week, 3 month.")
    date_prec: int | None = Field(None, description="UCDP: 1 exact day ... 5 year.")
    date_reason: str | None = None
    time_of_day: str | None = None
    disorder_type: DisorderType
    event_type: EventType
    sub_event_type: SubEventType
    type_reason: TypeReason | None = None
    actor1: str | None = None
    assoc_actor_1: str | None = None
    inter1: int | None = None
    actor2: str | None = None
    assoc_actor_2: str | None = None
    inter2: int | None = None
    interaction: int | None = None
    civilian_targeting: str | None = None
    actor_normalized: dict[str, bool] = Field(
        default_factory=dict,
        description="Per actor field: whether the name was normalized by the dictionary.",
    )
    location: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    country: str | None = None
    iso3: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = Field(None, description="ACLED: 1 town, 2 part of/near a region, 3 province.")
    where_prec: int | None = Field(None, description="UCDP: 1 exact place ... 7 water/airspace.")
    geonames_id: int | None = None
    geo_reason: str | None = None
    fatalities: Range3 | None = None
    injuries: Range3 | None = None
    figures: list[ReconciledFigure] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    disputes: list[Dispute] = Field(default_factory=list)
    notes: str = ""
    sources: list[str] = Field(default_factory=list)
    evidence: dict[str, list[Evidence]] = Field(
        default_factory=dict, description="Per field name, the text spans the value came from."
    )
    confidence: float = 0.5
    explain: Explanation | None = Field(
        None, exclude_if=lambda v: v is None, description="Present only when explanations are asked for."
    )


class ArticleMeta(Frozen):
    article_id: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: date | None = None
    language: str = "en"
    source_path: str | None = None


class CodedArticle(BaseModel):
    """The output for one input: `{"id", "article", "events"}`; `reason` says why `events` is empty."""

    model_config = ConfigDict(extra="forbid")

    schema_version: str = SCHEMA_VERSION
    id: str
    article: ArticleMeta
    events: list[Event]
    reason: str | None = None

    @classmethod
    def of(cls, article: Article, events: list[Event], reason: str | None = None) -> CodedArticle:
        meta = ArticleMeta(**article.model_dump(exclude={"text", "id"}))
        return cls(id=article.id or article.article_id, article=meta, events=events, reason=reason)


def interaction_code(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction: the two inter codes, lower first (10 times one alone)."""
    if inter1 is None and inter2 is None:
        return None
    if inter1 is None or inter2 is None:
        return (inter1 or inter2 or 0) * 10
    lo, hi = sorted((inter1, inter2))
    return lo * 10 + hi


def disorder_type_for(event_type: str, sub_event_type: str) -> DisorderType:
    """ACLED's disorder type: mob violence and excessive force are political violence."""
    if sub_event_type in ("Mob violence", "Excessive force against protesters"):
        return "Political violence"
    if event_type in ("Protests", "Riots"):
        return "Demonstrations"
    if event_type == "Strategic developments":
        return "Strategic developments"
    return "Political violence"


PlaceRoleName = Literal["site", "dateline", "speaker_location", "government", "demonym", "adjective"]


class CountryFocus(Frozen):
    """One country the document is about, with the weight of the evidence for it."""

    iso3: str
    name: str
    score: float


class PlaceOut(Frozen):
    """One toponym of a document, as `conflictcoder places` reports it (offsets index the text)."""

    start: int
    end: int
    text: str
    name: str | None = Field(None, description="The gazetteer's name of the place it resolves to.")
    geonames_id: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    feature_class: str | None = Field(None, description="GeoNames class: A admin unit/country, P place.")
    feature_code: str | None = None
    country: str | None = Field(None, description="ISO3 code.")
    admin1: str | None = None
    admin2: str | None = None
    role: PlaceRoleName = "site"
    score: float = 0.0
    reason: str


class DocumentPlaces(Frozen):
    """The output of `conflictcoder places` for one document."""

    id: str
    countries: list[CountryFocus]
    places: list[PlaceOut]
