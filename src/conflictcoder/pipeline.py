"""Article -> CodedArticle: the per-article function every entry point (CLI, API, Spark) calls.

Stages run in one direction: spaCy parse -> mentions (triggers, actors, places, dates, figures, speakers)
-> incidents -> typed events with claims, reconciled figures, notes and evidence.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc, Span

from conflictcoder import pieces
from conflictcoder.errors import IngestError
from conflictcoder.explain import explanation, incident_sentences
from conflictcoder.extract.actors import ActorLexicon, ActorMention
from conflictcoder.extract.claims import Attribution, Speaker, find_speakers, stance_in_event
from conflictcoder.extract.events import Incident, group_incidents, trigger_agent
from conflictcoder.extract.figures import FigureMention, find_figures
from conflictcoder.extract.newsworthy import background_reason, background_sentences, court_report
from conflictcoder.extract.places import PlaceMention
from conflictcoder.extract.times import (
    DateMention,
    TimeOfDay,
    find_dates,
    find_times_of_day,
    publication_date_in_text,
)
from conflictcoder.extract.triggers import find_triggers
from conflictcoder.extract.typing_rules import ActorFacts, Typing, incident_cues, type_incident
from conflictcoder.geo.gazetteer import Gazetteer, OpenGazetteer
from conflictcoder.geo.geoparse import Geoparser
from conflictcoder.language import not_coded_reason
from conflictcoder.learn.classifier import SubEventModel
from conflictcoder.learn.combine import retype
from conflictcoder.model import (
    Article,
    Choice,
    Claim,
    CodedArticle,
    DocumentPlaces,
    Event,
    Evidence,
    Location,
    TypeReason,
    ValueRange,
    disorder_type_for,
    interaction_code,
)
from conflictcoder.nlp import load_pipeline
from conflictcoder.notes import write_notes
from conflictcoder.prefilter import REJECTED_REASON, SKIP_REASON, RelevanceFilter, trigger_sentences
from conflictcoder.reconcile import reconcile_claims
from conflictcoder.retellings import lend_attackers, merge_retellings
from conflictcoder.settings import Settings
from conflictcoder.word_lists import Lexicons, load_lexicons

log = logging.getLogger(__name__)
# Event types in which the parties fight: a state force speaking about one claims rather than confirms.
VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})

NO_EVENT_REASON = "no incident found: no sentence reports a violent, protest or strategic event"
COURT_REASON = "a report of court proceedings: the incidents it names are their subject, not news"


@dataclass
class Coder:
    """Everything loaded once and shared by every article of a run."""

    nlp: Language
    gazetteer: OpenGazetteer
    names: Mapping[str, int]
    spellings: Container[str]
    lexicons: Lexicons  # every word list, loaded once from settings.lexicon_dir
    model: SubEventModel | None = None  # a user's trained sub-event model (learn/), used with the rules
    explain: bool = False  # record why each event is what it is (Event.explain, `code --explain`)
    prefilter: RelevanceFilter | None = None  # None: every English article is parsed

    @classmethod
    def load(cls, settings: Settings) -> Coder:
        lexicons = load_lexicons(settings.lexicon_dir)
        gaz = Gazetteer(settings.gazetteer_path).open()
        nlp = load_pipeline(settings.spacy_model)
        return cls(
            nlp=nlp,
            gazetteer=gaz,
            names=gaz.name_index(),
            spellings=gaz.spelling_index(),
            lexicons=lexicons,
            prefilter=RelevanceFilter.load(lexicons.triggers, nlp) if settings.prefilter else None,
        )

    @property
    def actors(self) -> ActorLexicon:
        return self.lexicons.actors

    @property
    def geoparser(self) -> Geoparser:
        """The place step (`geo/geoparse.py`), shared with `conflictcoder places`."""
        return Geoparser(self.gazetteer, self.names, self.spellings, self.actors, self.lexicons.places)

    def skip_reason(self, article: Article) -> str | None:
        """Why the article is not parsed whole: not English, or the pre-filter sees no possible incident
        (prefilter.py): no trigger phrase at all, or trigger phrases so sparse that their sentences alone
        are parsed, and the trigger rules reject each one."""
        reason = not_coded_reason(article.language)
        if reason is not None or self.prefilter is None:
            return reason
        if len(article.text) > pieces.LONG_TEXT_CHARS:  # its paragraphs are chosen in code_long_article
            return None if self.prefilter.has_trigger(article.text) else SKIP_REASON
        offsets = self.prefilter.trigger_offsets(article.text)
        if not offsets:
            return SKIP_REASON
        sentences = trigger_sentences(article.text, offsets, int(SPARSE_SHARE * len(article.text)))
        if sentences is None:
            return None
        lex = self.lexicons
        for doc in self.nlp.pipe(article.text[s:e] for s, e in sentences):
            if find_triggers(doc, lex.trigger_index, lex.triggers, lex.trigger_words):
                return None
        return REJECTED_REASON

    def code(self, article: Article) -> CodedArticle:
        reason = self.skip_reason(article)
        if reason is not None:
            return CodedArticle.of(article, [], reason)
        if len(article.text) > pieces.LONG_TEXT_CHARS:
            return code_long_article(article, self)
        return code_article(article, self.nlp(article.text), self)

    def code_many(self, items: Iterable[Article | IngestError]) -> Iterator[CodedArticle | IngestError]:
        """Code articles in order, parsing in batches; errors pass through in place."""
        buffer: list[Article | IngestError] = []
        for item in items:
            buffer.append(item)
            if len(buffer) >= 64:
                yield from self._flush(buffer)
                buffer = []
        yield from self._flush(buffer)

    def places_many(self, items: Iterable[Article | IngestError]) -> Iterator[DocumentPlaces | IngestError]:
        """Geoparse articles in order (`conflictcoder places`): the same place step `code` runs."""
        geoparser, names = self.geoparser, self.geoparser.country_names()
        buffer: list[Article | IngestError] = []
        for item in [*items, None]:
            if item is not None:
                buffer.append(item)
            if buffer and (item is None or len(buffer) >= 64):
                articles = [a for a in buffer if isinstance(a, Article)]
                docs = iter(self.nlp.pipe(a.text for a in articles))
                for a in buffer:
                    if isinstance(a, IngestError):
                        yield a
                    else:
                        geo = geoparser.parse(next(docs))
                        yield geo.to_output(a.id or a.article_id, a.text, names)
                buffer = []

    def _flush(self, buffer: list[Article | IngestError]) -> Iterator[CodedArticle | IngestError]:
        skips = {id(a): self.skip_reason(a) for a in buffer if isinstance(a, Article)}
        whole = [
            a
            for a in buffer
            if isinstance(a, Article) and skips[id(a)] is None and len(a.text) <= pieces.LONG_TEXT_CHARS
        ]
        docs = iter(self.nlp.pipe(a.text for a in whole))
        for item in buffer:
            if isinstance(item, IngestError):
                yield item
            elif (reason := skips[id(item)]) is not None:
                yield CodedArticle.of(item, [], reason)
            elif len(item.text) > pieces.LONG_TEXT_CHARS:
                yield code_long_article(item, self)
            else:
                yield code_article(item, next(docs), self)


def _evidence(article: Article, start: int, end: int) -> Evidence:
    return Evidence(article_id=article.article_id, start=start, end=end, text=article.text[start:end])


@dataclass
class _Mentions:
    sents: list[Span]
    actors: list[ActorMention]
    places: list[PlaceMention]
    locations: dict[int, Location]
    dates: list[DateMention]
    figures: list[FigureMention]
    speakers: Attribution
    times: list[TimeOfDay]
    context_iso3: str | None
    incidents: list[Incident] = field(default_factory=list)  # all of the article's, for explanations
    trigger_sents: set[int] = field(default_factory=set)


@dataclass
class _Told:
    """The incidents one text tells, before the article-level step decides which are news."""

    events: list[Event]
    context_iso3: str | None = None
    reason: str | None = None  # why there is no event at all (nothing found, a court report)


def code_article(article: Article, doc: Doc, coder: Coder) -> CodedArticle:
    """Code one parsed article into events (an empty list with a reason when nothing happened)."""
    stated = publication_date_in_text(article.text) if article.published is None else None
    if stated is not None:  # an undated page that says when it was published anchors "on Monday"
        article = article.model_copy(update={"published": stated[0]})
    return _report_news(article, _told(article, doc, coder), stated)


def _told(article: Article, doc: Doc, coder: Coder) -> _Told:
    lex = coder.lexicons
    sums = background_sentences(doc, lex.background.aggregates)  # "in all, 14 killed in the two attacks"
    totals = sums | background_sentences(doc, lex.background.period_totals)  # "since 2011": no figure
    triggers = [
        t
        for t in find_triggers(doc, lex.trigger_index, lex.triggers, lex.trigger_words)
        if t.sent not in sums
    ]
    actors = coder.actors.find(doc)
    geo = coder.geoparser.parse(doc, actors)
    places, locations, context = geo.mentions, geo.locations, geo.focus_iso2
    context_iso3 = (
        coder.actors.by_iso2[context[0]].iso3 if context and context[0] in coder.actors.by_iso2 else None
    )
    figures = [f for f in find_figures(doc, lex.figures) if f.sent not in totals]
    m = _Mentions(
        list(doc.sents),
        actors,
        places,
        locations,
        find_dates(doc, article.published),
        figures,
        find_speakers(doc, actors, coder.actors, context_iso3, lex.attribution),
        find_times_of_day(doc, lex.figures),
        context_iso3,
    )
    incidents = group_incidents(doc, triggers, places, figures, lex.new_incident_markers)
    if not incidents:
        return _Told([], context_iso3, NO_EVENT_REASON)
    if court_report(doc, lex.background):
        return _Told([], context_iso3, COURT_REASON)
    m.incidents, m.trigger_sents = incidents, {t.sent for t in triggers}
    events: list[Event] = []
    previous_date: tuple[DateMention, str] | None = None
    for inc in incidents:
        event, previous_date = _build_event(article, doc, coder, inc, m, previous_date)
        if event is not None:
            events.append(event)
    return _Told(events, context_iso3)


def _report_news(article: Article, told: _Told, stated: tuple[date, str] | None) -> CodedArticle:
    """The article-level step, over every incident the whole text tells (also when it was parsed in
    windows): incidents recalled as background are dropped and retellings of one incident fold together."""
    events = told.events
    if told.reason is not None:
        return CodedArticle.of(article, [], told.reason)
    background: list[str] = []
    if len(events) > 1:  # an article that tells several incidents recalls some of them as background
        why = [background_reason(e, told.context_iso3) for e in events]
        background = [w for w in why if w is not None]
        recalled = [e for e, w in zip(events, why, strict=True) if w is not None]
        events = merge_retellings([e for e, w in zip(events, why, strict=True) if w is None])
        lend_attackers(events, recalled)
    if not events:
        reason = f"no incident reported as news: {background[0]}" if background else NO_EVENT_REASON
        return CodedArticle.of(article, [], reason)
    if stated is not None:
        for e in events:
            e.date_reason = f"{e.date_reason} (publication date from the text: '{stated[1]}')"
    return CodedArticle.of(article, events)


#: Trigger sentences that make up at most this share of a text are parsed alone first (prefilter.py).
SPARSE_SHARE = 0.2
#: A paragraph of a long text is parsed when a trigger phrase is at most this many paragraphs away.
CONTEXT_PARAGRAPHS = 2


def code_long_article(article: Article, coder: Coder) -> CodedArticle:
    """Code a text too long to parse at once in windows of paragraphs (pieces.py); with the pre-filter,
    paragraphs more than CONTEXT_PARAGRAPHS from any trigger phrase are not parsed. Offsets stay those of
    the whole text."""
    text = article.text
    stated = publication_date_in_text(text) if article.published is None else None
    if stated is not None:
        article = article.model_copy(update={"published": stated[0]})
    spans = pieces.paragraphs(text, pieces.PARAGRAPH_CHARS)
    keep = [True] * len(spans)
    if coder.prefilter is not None:
        keep = pieces.near([coder.prefilter.has_trigger(text[s:e]) for s, e in spans], CONTEXT_PARAGRAPHS)
    events: list[Event] = []
    contexts: Counter[str] = Counter()
    reasons: list[str] = []
    for w in pieces.windows(spans, keep, pieces.WINDOW_CHARS, pieces.OVERLAP_PARAGRAPHS):
        piece = article.model_copy(update={"text": text[w.start : w.end]})
        told = _told(piece, coder.nlp(piece.text), coder)
        if told.context_iso3 is not None:
            contexts[told.context_iso3] += 1
        if told.reason is not None:
            reasons.append(told.reason)
        for event in told.events:
            if w.core_start <= _anchor(event) + w.start < w.core_end:
                events.append(_shifted(event, w.start))
    log.debug("%s: %d chars coded in windows; %d events", article.article_id, len(text), len(events))
    context = contexts.most_common(1)[0][0] if contexts else None
    # one window's court-report or no-incident verdict does not speak for the whole text
    reason = None if events else (reasons[0] if reasons else NO_EVENT_REASON)
    return _report_news(article, _Told(events, context, reason), stated)


def _anchor(event: Event) -> int:
    """Where an event is told: its typing trigger, else its earliest evidence."""
    starts = [e.start for e in event.evidence.get("event_type", [])] or [
        e.start for spans in event.evidence.values() for e in spans
    ]
    return min(starts, default=0)


def _shifted(event: Event, delta: int) -> Event:
    """An event coded from a window starting at character `delta`, with offsets into the whole text."""
    if delta == 0:
        return event

    def shift(value: object) -> object:
        if isinstance(value, dict):
            if value.keys() == {"article_id", "start", "end", "text"}:
                return {**value, "start": value["start"] + delta, "end": value["end"] + delta}
            return {k: shift(v) for k, v in value.items()}
        if isinstance(value, list):
            return [shift(v) for v in value]
        return value

    data = shift(event.model_dump())
    assert isinstance(data, dict)
    data["event_id"] = hashlib.sha256(f"{event.event_id}:{delta}".encode()).hexdigest()[:16]
    return Event.model_validate(data)


def _place_index(m: _Mentions, p: PlaceMention | None) -> int | None:
    if p is None:
        return None
    return next((i for i, q in enumerate(m.places) if q is p), None)


def _event_location(inc: Incident, m: _Mentions) -> tuple[Location | None, PlaceMention | None]:
    candidates = [inc.site] if inc.site is not None else []
    for s in inc.sentences:
        candidates += [
            p for p in m.places if p.sent == s and not p.in_title and p.role == "site" and p not in candidates
        ]
    # "Officials in Quetta said militants attacked a post in Turbat": where it was said comes last
    candidates.sort(key=lambda p: m.speakers.names_speaker(p.start))
    for p in candidates:
        idx = _place_index(m, p)
        if idx is not None and idx in m.locations:
            return m.locations[idx], p
    return None, candidates[0] if candidates else None


def _event_date(
    inc: Incident, m: _Mentions, published: date | None, previous: tuple[DateMention, str] | None
) -> tuple[DateMention | None, str, bool]:
    """(date mention, reason, historical): the incident's own date, else its preceding incident's."""
    own = [d for d in m.dates if d.sent in inc.sentences and not d.statement]
    resolved = [d for d in own if d.date is not None]
    current = [d for d in resolved if not d.historical]
    if current:
        return current[0], current[0].reason, False
    if resolved and not current:
        return resolved[0], resolved[0].reason, True
    if own:
        return None, own[0].reason, False
    if previous is not None:
        return (
            previous[0],
            f"no date in its own sentences; dated like the article's preceding incident: {previous[1]}",
            False,
        )
    if published is None:
        return None, "no date in the text and no publication date to anchor one", False
    return (
        None,
        f"the text gives no date for the incident (published {published.isoformat()}); not guessed",
        False,
    )


def _build_event(
    article: Article,
    doc: Doc,
    coder: Coder,
    inc: Incident,
    m: _Mentions,
    previous_date: tuple[DateMention, str] | None,
) -> tuple[Event | None, tuple[DateMention, str] | None]:
    d, date_reason, historical = _event_date(inc, m, article.published, previous_date)
    if historical:
        return (
            None,
            previous_date,
        )  # the past of the story ("launched in August 2024"), not this report's event
    location, site = _event_location(inc, m)
    iso3 = location.iso3 if location is not None and location.iso3 else m.context_iso3
    sent_set = set(inc.sentences)
    inc_actors = [
        a
        for a in m.actors
        if a.sent in sent_set
        and not m.speakers.only_speaks(a.start_char, m.sents[a.sent])
        and not _foreign_acronym(a, iso3)
    ]
    first_trigger = min(inc.triggers, key=lambda t: t.start)
    agent = trigger_agent(doc, first_trigger, m.actors)
    speaker = m.speakers.by_sentence[first_trigger.sent]
    actor1_m = agent or _first_agentive(inc_actors, first_trigger.start, doc)
    actor1 = actor1_name = None
    normalized: dict[str, bool] = {}
    actor1_why = "no armed, state or crowd actor is named in the incident"
    if actor1_m is not None:
        actor1_name, normalized["actor1"] = coder.actors.fill(actor1_m.name, actor1_m.iso3 or iso3)
        actor1 = actor1_m
        actor1_why = (
            f"the agent of '{doc[first_trigger.start : first_trigger.end].text}' (its subject or by-phrase)"
            if agent is not None
            else "the first non-civilian actor of the incident, preferring one named before the trigger"
        )
    elif speaker.role == "armed group" and speaker.explicit:
        actor1_name, normalized["actor1"] = speaker.claimant, True
        actor1_why = "the armed group that speaks about the incident (it claims it)"
    victims = frozenset(
        f.about for f in m.figures if f.sent in sent_set and f.figure in ("killed", "injured")
    )
    others = [a for a in inc_actors if actor1 is None or a.name != actor1.name]
    cues = incident_cues(
        inc.triggers,
        actor1.category if actor1 is not None else None,
        [ActorFacts(a.category, a.inter) for a in inc_actors],
        [ActorFacts(a.category, a.inter) for a in others],
        victims,
        _forces_targeted(m, sent_set, coder.actors, coder.lexicons.trigger_words.force_facilities),
        inc.separate_from is not None,
    )
    civilians_hit = cues.civilians_hit
    typing = type_incident(cues, coder.lexicons.trigger_words)
    if typing is None:
        return None, previous_date
    if coder.model is not None:  # the rules and a trained model decide together: learn/combine.py
        typing = retype(typing, coder.model, " ".join(m.sents[i].text for i in inc.all_sentences))
    sub = typing.sub_event_type
    if sub in (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
        "Violent demonstration",
    ) and (actor1 is None or actor1.category not in ("protesters", "rioters")):
        # the crowd is actor1 of a demonstration (excessive force keeps the force that used it as actor1)
        crowd = next((a for a in inc_actors if a.category in ("protesters", "rioters")), None)
        generic = "Protesters ({country})" if sub != "Violent demonstration" else "Rioters ({country})"
        if sub != "Excessive force against protesters":
            actor1 = crowd
            actor1_name, normalized["actor1"] = coder.actors.fill(crowd.name if crowd else generic, iso3)
            actor1_why = "the crowd is actor1 of a demonstration" + ("" if crowd else " (none named)")
    actor2_m = _pick_actor2(others, actor1, sub)
    actor2_name = None
    actor2_why = "no other party for this sub-event type is named in the incident"
    if actor2_m is not None:
        actor2_name, normalized["actor2"] = coder.actors.fill(actor2_m.name, actor2_m.iso3 or iso3)
        actor2_why = f"the first other party of the incident that fits a '{sub}' event"
    elif sub in ("Attack", "Abduction/forced disappearance", "Sexual violence") or (
        civilians_hit and typing.event_type == "Violence against civilians"
    ):
        actor2_name, normalized["actor2"] = coder.actors.fill("Civilians ({country})", iso3)
        actor2_why = "violence against civilians with no victim named: the country's civilians"
    if actor2_name == actor1_name:
        actor2_name = None
        actor2_why = "the only other party is actor1 itself"
    inter1 = _inter(actor1, actor1_name, speaker)
    inter2 = _inter(actor2_m, actor2_name, None) if actor2_name else None
    if actor2_name and actor2_m is None and actor2_name.startswith("Civilians"):
        inter2 = 7
    violent = typing.event_type in VIOLENT_TYPES
    claims = _claims(article, doc, inc, m, {n for n in (actor1_name, actor2_name) if n}, violent)
    fatalities, injuries, figures, disputes = reconcile_claims(claims)
    evidence: dict[str, list[Evidence]] = {
        "event_type": [
            _evidence(article, t.start_char, t.end_char) for t in inc.triggers if t is typing.trigger
        ],
    }
    if actor1 is not None:
        evidence["actor1"] = [_evidence(article, actor1.start_char, actor1.end_char)]
    if actor2_m is not None:
        evidence["actor2"] = [_evidence(article, actor2_m.start_char, actor2_m.end_char)]
    if site is not None:
        evidence["location"] = [_evidence(article, site.start, site.end)]
    if d is not None:
        evidence["event_date"] = [_evidence(article, d.start, d.end)]
    times = [t for t in m.times if t.sent in inc.all_sentences]
    if times:
        evidence["time_of_day"] = [_evidence(article, times[0].start, times[0].end)]
    fatality_claims = [c.evidence for c in claims if c.figure == "killed"]
    if fatality_claims:
        evidence["fatalities"] = fatality_claims
    event = Event(
        event_id=_event_id(article.article_id, first_trigger.start_char, sub),
        event_date=d.date if d else None,
        time_precision=d.time_precision if d else None,
        date_prec=d.date_prec if d else None,
        date_reason=date_reason,
        time_of_day=f"{times[0].hhmm // 100:02d}:{times[0].hhmm % 100:02d}" if times else None,
        disorder_type=disorder_type_for(typing.event_type, sub),
        event_type=typing.event_type,  # type: ignore[arg-type]
        sub_event_type=sub,  # type: ignore[arg-type]
        type_reason=_type_reason(typing),
        actor1=actor1_name,
        assoc_actor_1=_assoc(inc_actors, actor1),
        inter1=inter1,
        actor2=actor2_name,
        inter2=inter2,
        interaction=interaction_code(inter1, inter2),
        civilian_targeting="Civilian targeting"
        if (inter2 == 7 or typing.event_type == "Violence against civilians")
        else None,
        actor_normalized=normalized,
        **_location_fields(location, site),
        fatalities=fatalities,
        injuries=injuries,
        figures=figures,
        claims=claims,
        disputes=disputes,
        sources=[s for s in (article.outlet, article.url) if s],
        evidence=evidence,
        confidence=_confidence(actor1_name, location, d, typing.trigger.entry.weight),
    )
    event.notes = write_notes(event)
    if coder.explain:
        actor_choices = (
            Choice(value=actor1_name, mention=actor1.text if actor1 else None, why=actor1_why),
            Choice(value=actor2_name, mention=actor2_m.text if actor2_m else None, why=actor2_why),
        )
        event.explain = explanation(
            typing,
            incident_sentences(m.sents, inc, m.incidents, m.trigger_sents, {f.sent for f in m.figures}),
            actor_choices,
            _actors_left_out(m, sent_set, iso3, [a for a in (actor1, actor2_m) if a], coder.actors),
            _place_choice(inc, site, location),
            _places_left_out(inc, m, site),
            doc[typing.trigger.start : typing.trigger.end].text,
        )
    carried = (d, previous_date[1] if previous_date is not None and d is previous_date[0] else date_reason)
    return event, (carried if d is not None else previous_date)


def _actors_left_out(
    m: _Mentions, sents: set[int], iso3: str | None, chosen: list[ActorMention], lex: ActorLexicon
) -> list[Choice]:
    """Actor mentions of the incident's sentences other than its actor1 and actor2, and why (once each)."""
    out: list[Choice] = []
    for a in m.actors:
        if a.sent not in sents or any(a is c for c in chosen):
            continue
        if any(a.name == c.name for c in chosen):
            why = "another mention of an actor of the event"
        elif m.speakers.only_speaks(a.start_char, m.sents[a.sent]):
            why = "named only as the source of a statement, not as a party"
        elif _foreign_acronym(a, iso3):
            why = "a state unit named by an acronym of another country than the event's"
        else:
            why = "another party named in the incident; the event keeps two actors"
        choice = Choice(value=lex.fill(a.name, a.iso3 or iso3)[0], mention=a.text, why=why)
        if choice not in out:
            out.append(choice)
    return out


def _place_choice(inc: Incident, site: PlaceMention | None, location: Location | None) -> Choice:
    if site is None:
        return Choice(value=None, why="the text names no incident site in the incident's sentences")
    how = (
        "the site the incident was grouped by"
        if site is inc.site
        else "the first site named in the incident's sentences that the gazetteer places"
    )
    where = location.reason if location is not None else "not found in the gazetteer"
    value = location.location if location is not None else site.name
    return Choice(value=value, mention=site.name, why=f"{how}; {where}")


def _places_left_out(inc: Incident, m: _Mentions, site: PlaceMention | None) -> list[Choice]:
    out: list[Choice] = []
    for p in m.places:
        if p.sent not in inc.sentences or p is site:
            continue
        idx = _place_index(m, p)
        if site is not None and p.key == site.key:
            why = "another mention of the chosen place"
        elif p.in_title:
            why = "part of an office's title (a jurisdiction, not a site)"
        elif p.role != "site":
            why = f"a {p.role.replace('_', ' ')}, not where the incident happened"
        elif m.speakers.names_speaker(p.start):
            why = "where a speaker spoke from"
        elif idx is None or idx not in m.locations:
            why = "not found in the gazetteer"
        elif site is not None and site.parent is not None and p.key == site.parent.key:
            why = "the enclosing unit of the chosen place"
        else:
            why = "another place in the incident; the incident's own site comes first"
        choice = Choice(value=p.name, mention=p.name, why=why)
        if choice not in out:
            out.append(choice)
    return out


def _foreign_acronym(a: ActorMention, iso3: str | None) -> bool:
    """'NAF' in a Donbas report is not the Nigerian Air Force: a state unit named only by its acronym
    belongs to the event's country or is left out."""
    return a.category == "state" and bool(a.iso3 and iso3) and a.iso3 != iso3 and a.text.isupper()


def _type_reason(typing: Typing) -> TypeReason:
    return TypeReason(
        by="model" if typing.model is not None else "rules",
        rules=list(typing.rules),
        trigger=typing.trigger.entry.phrase,
        text=typing.reason,
        model=typing.model,
        probability=typing.probability,
    )


def _forces_targeted(m: _Mentions, sents: set[int], actors: ActorLexicon, facilities: frozenset[str]) -> bool:
    """'attacked a military check post', 'an FC camp', 'a police van': a force's facility is in the incident
    (the actor finder leaves such modifiers out, since 'police station' alone names no actor)."""
    force_words = actors.force_words
    state_units = {(a.start, a.end) for a in m.actors if a.category == "state"}
    for n in sents:
        for tok in m.sents[n]:
            if tok.dep_ not in ("compound", "amod") or tok.head.lemma_.lower() not in facilities:
                continue
            if tok.lower_ in force_words or any(s <= tok.i < e for s, e in state_units):
                return True
    return False


def _first_agentive(actors: list[ActorMention], before: int, doc: Doc) -> ActorMention | None:
    """The first non-civilian actor, preferring one named before the trigger (the usual subject); an
    unidentified one followed by a named group in brackets is that group ("gunmen (suspected BLA)")."""
    agentive = [a for a in actors if a.category not in ("civilians",)]
    ahead = [a for a in agentive if a.start < before]
    first = (ahead or agentive or [None])[0]
    if first is not None and first.category == "armed":
        named = next((a for a in agentive if a.category == "group" and 0 < a.start - first.end <= 6), None)
        if named is not None and "(" in doc[first.end : named.start].text:
            return named
    return first


def _pick_actor2(others: list[ActorMention], actor1: ActorMention | None, sub: str) -> ActorMention | None:
    if sub in (
        "Peaceful protest",
        "Protest with intervention",
        "Violent demonstration",
        "Change to group/activity",
        "Headquarters or base established",
    ):
        state = [a for a in others if a.category in ("state", "military", "police")]
        return state[0] if sub == "Protest with intervention" and state else None
    if sub in ("Attack", "Abduction/forced disappearance", "Sexual violence"):
        civ = [a for a in others if a.category == "civilians"]
        if civ:
            return civ[0]
    if sub == "Excessive force against protesters":
        crowd = [a for a in others if a.category == "protesters"]
        return crowd[0] if crowd else None
    distinct = [a for a in others if actor1 is None or a.category != actor1.category or a.name != actor1.name]
    if sub in ("Non-state actor overtakes territory", "Government regains territory", "Armed clash"):
        distinct = [a for a in distinct if a.category != "civilians"]  # a battle is between armed actors
    return distinct[0] if distinct else None


def _assoc(actors: list[ActorMention], actor1: ActorMention | None) -> str | None:
    if actor1 is None:
        return None
    units = sorted({a.unit for a in actors if a.unit and a.name == actor1.name})
    return "; ".join(units) if units else None


def _inter(m: ActorMention | None, name: str | None, speaker: Speaker | None) -> int | None:
    if m is not None:
        return m.inter
    if name is None:
        return None
    return 2 if speaker is not None and speaker.role == "armed group" else None


def _location_fields(loc: Location | None, site: PlaceMention | None) -> dict[str, object]:
    if loc is None:
        return {
            "location": site.name if site else None,
            "geo_reason": (
                f"'{site.name}' could not be placed in the gazetteer or the text's hierarchy"
                if site
                else "the text names no place for the incident"
            ),
        }
    fields = loc.model_dump(exclude={"reason"})
    fields["geo_reason"] = loc.reason
    return fields


def _claims(
    article: Article, doc: Doc, inc: Incident, m: _Mentions, parties: set[str], violent: bool
) -> list[Claim]:
    """Every figure of the incident's sentences, each as said by the speaker of its clause."""
    out: list[Claim] = []
    sents = set(inc.all_sentences)
    for f in m.figures:
        if f.sent not in sents:
            continue
        if inc.separate_from is not None and f.figure not in ("abducted",):
            continue
        if f.figure == "abducted" and f.sent in inc.split_sentences:
            continue  # counted by the abduction split out of this sentence
        sp = m.speakers.speaker_of(doc.char_span(f.start, f.end, alignment_mode="expand").root, f.sent)
        out.append(_claim(article, m.sents[f.sent], sp, parties, violent, f))
    for t in m.times:
        if t.sent in sents:
            sp = m.speakers.speaker_of(doc.char_span(t.start, t.end, alignment_mode="expand").root, t.sent)
            value = FigureMention(
                "time_of_day", "unknown", t.hhmm, t.hhmm, t.hedge, None, "hhmm", t.start, t.end, t.sent
            )
            out.append(_claim(article, m.sents[t.sent], sp, parties, violent, value))
    return _about_of_denials(out)


def _claim(
    article: Article, sent: Span, sp: Speaker, parties: set[str], violent: bool, f: FigureMention
) -> Claim:
    return Claim(
        claimant=sp.claimant,
        claimant_role=sp.role,
        spokesperson=sp.spokesperson,
        stance=stance_in_event(sp, parties, violent),
        figure=f.figure,
        about=f.about,  # type: ignore[arg-type]
        value=ValueRange(low=f.low, high=f.high),
        unit=f.unit,
        item=f.item,
        hedge=f.hedge,
        subset=f.subset,
        text=sent.text,
        evidence=_evidence(article, sent.start_char, sent.end_char),
    )


def _about_of_denials(claims: list[Claim]) -> list[Claim]:
    """'No one was missing' denies the figure claimed before it, so it is about the same people."""
    out: list[Claim] = []
    for c in claims:
        if c.stance == "denies" and c.value.low == 0 and c.about == "unknown":
            earlier = next((p for p in reversed(out) if p.figure == c.figure and p.value.low > 0), None)
            if earlier is not None:
                c = c.model_copy(update={"about": earlier.about})
        out.append(c)
    return out


def _event_id(article_id: str, offset: int, sub: str) -> str:
    return hashlib.sha256(f"{article_id}:{offset}:{sub}".encode()).hexdigest()[:16]


def _confidence(actor1: str | None, loc: Location | None, d: DateMention | None, weight: int) -> float:
    score = 0.4 + 0.15 * (actor1 is not None) + 0.15 * (loc is not None) + 0.1 * (d is not None)
    return round(min(1.0, score + 0.02 * weight), 2)
