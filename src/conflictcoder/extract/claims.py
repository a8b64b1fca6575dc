"""Attribution: who says each clause, in what role and with what stance.

A clause's speaker is the subject of its reporting verb ("X said", "X claimed", "X denied", "X put the toll
at N"), or the object of "according to X". A figure belongs to the nearest reporting verb above it in the
parse ("Houthi media said 20 died, while the coalition said it put the toll at eight" gives each figure
its own speaker); a figure under no reporting verb takes the sentence's speaker.

Reporters carry attribution forward: "He said", "The spokesperson added", "According to the group" point
back to the last speaker of that kind, and a sentence with no speaker of its own continues the account of
the speaker before it within the same paragraph. A new speaker, or a new paragraph with no speaker, ends
it: then the outlet itself reports.

Claimants are normalized: an armed group or state force to its dictionary name (the person speaking for it
kept as `spokesperson`), a known agency or NGO to its name (data/sources.jsonl), an office of a place to
its title ("the deputy commissioner of Kech" -> "Deputy Commissioner of Kech"), people at an institution
to the institution ("doctors at Mirwais hospital" -> "Mirwais Hospital"). Anyone else stays as written,
in lower case ("residents", "a community leader" -> "community leader"); unnamed sources are "anonymous …"
and only report. The stance set here is provisional for state forces: whether they *claim* (a party to
the fighting) or *confirm* depends on the event, which the pipeline decides (`stance_in_event`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from spacy.tokens import Doc, Span, Token

from conflictcoder.data_files import load_jsonl, read_json_object
from conflictcoder.extract.actors import ActorLexicon, ActorMention
from conflictcoder.lexicon import PhraseIndex
from conflictcoder.model import ClaimantRole, Stance


class SourceEntry(BaseModel):
    """A well-known non-combatant source: a UN agency, an NGO, a rescue service."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    aliases: list[str]
    role: ClaimantRole


@dataclass(frozen=True)
class AttributionLexicon:
    words: dict[str, frozenset[str]]
    phrases: dict[str, tuple[str, ...]]
    sources: tuple[SourceEntry, ...]

    @functools.cached_property
    def _aliases(self) -> list[tuple[SourceEntry, str]]:
        return [(s, alias) for s in self.sources for alias in s.aliases]

    @functools.cached_property
    def _source_index(self) -> PhraseIndex:
        return PhraseIndex((alias, n) for n, (_, alias) in enumerate(self._aliases))

    def find_source(self, phrase: Span) -> SourceEntry | None:
        """A known source named in the phrase; acronyms match in capitals only ("WHO", not "who")."""
        doc = phrase.as_doc()
        for s, e, key in self._source_index.find(doc):
            entry, alias = self._aliases[key]
            if alias.isupper() and doc[s:e].text != alias:
                continue
            return entry
        return None

    def __getitem__(self, key: str) -> frozenset[str]:
        return self.words[key]


def load_attribution_lexicon(path: Path, sources_path: Path) -> AttributionLexicon:
    """data/attribution.json (speech words) and data/sources.jsonl (named sources), or the user's copies."""
    raw = read_json_object(path)
    raw.pop("_comment", None)
    multi = {k: tuple(v) for k, v in raw.items() if any(" " in w for w in v)}
    words = {k: frozenset(v) for k, v in raw.items()}
    return AttributionLexicon(
        words, multi, tuple(load_jsonl(SourceEntry, sources_path))
    )


@dataclass(frozen=True)
class Speaker:
    claimant: str
    role: ClaimantRole
    stance: Stance
    spokesperson: str | None
    start: int  # chars of the phrase naming the speaker
    end: int
    explicit: bool  # named in this sentence (not carried over)


UNATTRIBUTED = Speaker("unattributed", "unattributed", "reports", None, 0, 0, False)


@dataclass(frozen=True)
class Attribution:
    """Speakers of one document: one per sentence, and one per reporting verb that names its own."""

    by_sentence: list[Speaker]
    by_verb: dict[int, Speaker]
    back_references: frozenset[str]  # "it", "its": words that point back from the statement to its speaker

    def speaker_of(self, tok: Token, sent: int) -> Speaker:
        """The speaker of the nearest reporting verb above `tok`, else the sentence's speaker."""
        t = tok
        for _ in range(40):
            if t.i in self.by_verb:
                return self.by_verb[t.i]
            if t.head is t:
                break
            t = t.head
        return self.by_sentence[sent]

    def _named_at(self, start_char: int) -> Speaker | None:
        """The speaker whose naming phrase holds `start_char`, if any."""
        return next(
            (
                sp
                for sp in (*self.by_verb.values(), *self.by_sentence)
                if sp.explicit and sp.start <= start_char < sp.end
            ),
            None,
        )

    def names_speaker(self, start_char: int) -> bool:
        """Whether the text at `start_char` is inside a phrase naming a speaker ("officials in Quetta")."""
        return self._named_at(start_char) is not None

    def only_speaks(self, start_char: int, sent: Span) -> bool:
        """Whether the mention at `start_char` names a speaker and nothing in the sentence points back
        to it ("Police said four were injured" vs "the army said it killed 20"): a source, not a party."""
        speaker = self._named_at(start_char)
        if speaker is None:
            return False
        return not any(t.lower_ in self.back_references for t in sent if t.idx >= speaker.end)


def _is_reporting(tok: Token, lex: AttributionLexicon) -> bool:
    lemma = tok.lemma_.lower()
    if tok.pos_ != "VERB":
        return False
    if lemma in lex["reporting_verbs"]:
        return True
    # "put the toll at seven": an estimate is a statement only with a count as its object
    return lemma in lex["estimating_verbs"] and any(
        c.dep_ == "dobj" and c.lemma_.lower() in lex["estimate_objects"] for c in tok.children
    )


def _depth(tok: Token) -> int:
    depth, t = 0, tok
    while t.head is not t and depth < 40:
        t, depth = t.head, depth + 1
    return depth


def _according_to(sent: Span) -> Span | None:
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < sent.end and sent.doc[tok.i + 1].lower_ == "to":
            start = tok.i + 2
            end = start
            while end < sent.end and sent.doc[end].text not in (",", ".", ";") and end - start < 8:
                end += 1
            if end > start:
                return sent.doc[start:end]
    return None


def _subject(verb: Token, lex: AttributionLexicon) -> Span | None:
    """The subject of a reporting verb. One without its own ('…, adding that', '…, emphasizing that')
    belongs to the reporting verb it hangs under, else to the clause it modifies."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return verb.doc[child.left_edge.i : child.right_edge.i + 1]
    if verb.dep_ not in ("conj", "advcl", "xcomp") or verb.head is verb:
        return None
    t = verb.head
    for _ in range(40):
        if _is_reporting(t, lex):
            return _subject(t, lex)
        if t.head is t:
            break
        t = t.head
    return _subject(verb.head, lex)


def _denies(verb: Token | None, lex: AttributionLexicon) -> bool:
    """'denied', and 'rejected the claim, saying …': a clause sharing a denying verb's subject."""
    while verb is not None:
        if verb.lemma_.lower() in lex["denying_verbs"]:
            return True
        if (
            verb.dep_ in ("conj", "advcl", "xcomp")
            and verb.head is not verb
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
        ):
            verb = verb.head
            continue
        return False
    return False


@dataclass
class _Memory:
    last: Speaker | None = None
    last_group: Speaker | None = None
    persons: dict[str, Speaker] | None = None


def _in_span(m: ActorMention, span: Span) -> bool:
    return span.start <= m.start < span.end


def _core(phrase: Span) -> Span:
    """The speaker's noun phrase without relative clauses: 'security officials who spoke …' -> its head."""
    root = phrase.root
    end = root.i + 1
    for child in root.rights:
        if (child.dep_ in ("prep",) and child.lower_ == "of") or child.dep_ in ("appos", "compound", "flat"):
            end = max(end, child.right_edge.i + 1)
    start = phrase.start
    while start < root.i and phrase.doc[start].dep_ in ("det", "predet", "punct"):
        start += 1
    return phrase.doc[start : min(end, phrase.end)]


def _as_written(span: Span, lex: AttributionLexicon) -> str:
    """A claimant phrase as written: lower case unless it names someone or an office of a place."""
    words = [t for t in span if not (t.dep_ in ("det", "poss") and t.i == span.start)]
    text = span.doc[words[0].i : span.end].text if words else span.text
    if " of " in text:
        title, _, place = text.partition(" of ")
        place_words = place.split()
        if place_words and place_words[0][:1].isupper():
            if len(place_words) > 1 and place_words[-1].lower() in lex["unit_words"]:
                place = " ".join(place_words[:-1])  # "governor of Kherson region" -> "… of Kherson"
            return f"{title.title()} of {place}"
    if any(t.pos_ == "PROPN" for t in words):
        return text
    return text.lower()


def _speaker(
    claimant: str, role: ClaimantRole, stance: Stance, phrase: Span, person: str | None = None
) -> Speaker:
    return Speaker(claimant, role, stance, person, phrase.start_char, phrase.end_char, True)


def _normalize(
    phrase: Span,
    actors: list[ActorMention],
    lex: ActorLexicon,
    alex: AttributionLexicon,
    iso3: str | None,
    memory: _Memory,
    deny: bool,
) -> Speaker | None:
    low = phrase.text.lower().strip()
    words = set(low.replace("’s", "").replace("'s", "").split())
    core = _core(phrase)
    if low in alex["pronouns"] or low.startswith(("the spokes", "the group", "a spokes", "the militant")):
        prior = memory.last_group if ("group" in low or low == "it") else memory.last
        if prior is None:
            return None
        return replace(
            prior,
            start=phrase.start_char,
            end=phrase.end_char,
            explicit=False,
            stance="denies" if deny else prior.stance,
        )
    own: Stance = "denies" if deny else "confirms"
    if any(p in low for p in alex.phrases["anonymity"]) or words & alex["anonymity"]:
        return _speaker("anonymous " + _as_written(core, alex).lower(), "official", "reports", phrase)
    persons = [e for e in phrase.ents if e.label_ == "PERSON"]
    spokesperson = persons[0].text if persons else None
    src = alex.find_source(phrase)
    if src is not None:
        return _speaker(src.name, src.role, "denies" if deny else "confirms", phrase, spokesperson)
    for prep in (c for c in core.root.children if c.dep_ == "prep" and c.lower_ in ("at", "from")):
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if obj is not None and obj.lemma_.lower() in alex["institutions"]:
            place = phrase.doc[obj.left_edge.i : obj.i + 1]
            name = " ".join(w[:1].upper() + w[1:] for w in place.text.split() if w.lower() != "the")
            role: ClaimantRole = "medical" if obj.lemma_.lower() in alex["medical"] else "official"
            return _speaker(name, role, own, phrase, spokesperson)
    named = [m for m in actors if _in_span(m, phrase) and m.category != "civilians"]
    if core.root.lemma_.lower() in alex["group_words"] and not named:
        group = next((m for m in reversed(actors) if m.category == "group" and m.start < phrase.start), None)
        if group is not None:  # "the separatist group said": the group last named
            name, _ = lex.fill(group.name, group.iso3 or iso3)
            return _speaker(name, "armed group", "denies" if deny else "claims", phrase)
    force = _force_word(core, lex)
    office = core.root.lemma_.lower() in alex["office_holders"] or core.root.lower_ in alex["office_holders"]
    if named and named[0].category != "group" and office and " of " in core.text:
        # "the district police officer of Kech", "the commissioner of Kalat": an office, not the force
        return _speaker(_as_written(core, alex), "official", own, phrase, spokesperson)
    if named:
        m = named[0]
        name, _ = lex.fill(m.name, m.iso3 or iso3)
        role = (
            "security forces"
            if m.category in ("state", "military", "police")
            else ("armed group" if m.inter in (2, 3, 4, 8) else "official")
        )
        stance: Stance = "denies" if deny else ("claims" if role == "armed group" else "confirms")
        sp = _speaker(name, role, stance, phrase, spokesperson)
        if spokesperson and memory.persons is not None:
            memory.persons[spokesperson] = sp
        return sp
    if force is not None:  # "police officials", "Police spokesman Musa Adamu", "military sources"
        name, _ = lex.fill("{" + force + "}", iso3)
        sp = _speaker(name, "security forces", own, phrase, spokesperson)
        if spokesperson and memory.persons is not None:
            memory.persons[spokesperson] = sp
        return sp
    if spokesperson and memory.persons and spokesperson in memory.persons:
        prior = memory.persons[spokesperson]
        return replace(
            prior,
            start=phrase.start_char,
            end=phrase.end_char,
            explicit=True,
            stance="denies" if deny else prior.stance,
        )
    if words & alex["medical"]:
        return _speaker(_as_written(core, alex), "medical", own, phrase)
    if words & alex["witnesses"] or words & alex["community"]:
        return _speaker(_as_written(core, alex), "witness", own, phrase)
    if words & alex["media"]:
        return _speaker(_as_written(core, alex), "media", "denies" if deny else "reports", phrase)
    if words & alex["official_titles"]:
        role = "government" if words & alex["government_words"] else "official"
        return _speaker(_as_written(core, alex), role, own, phrase, spokesperson)
    if spokesperson:
        return _speaker(spokesperson, "witness", own, phrase, spokesperson)
    return None


def _force_word(core: Span, lex: ActorLexicon) -> str | None:
    """'military' or 'police' when the speaker phrase names a state force by a common word."""
    for tok in core:
        force = lex.force_words.get(tok.lower_) or lex.force_words.get(tok.lemma_)
        if force is not None:
            return force
    return None


def _paragraph_starts(doc: Doc) -> list[int]:
    return [i for i, ch in enumerate(doc.text) if ch == "\n"]


def find_speakers(
    doc: Doc,
    actors: list[ActorMention],
    lex: ActorLexicon,
    iso3: str | None,
    alex: AttributionLexicon,
) -> Attribution:
    """The speaker of every sentence and of every reporting verb that names one (see module docstring)."""
    memory = _Memory(persons={})
    breaks = _paragraph_starts(doc)
    by_sentence: list[Speaker] = []
    by_verb: dict[int, Speaker] = {}
    prev_para = -1
    for sent in doc.sents:
        para = sum(1 for b in breaks if b < sent.start_char)
        found: list[tuple[int, Speaker]] = []  # (depth, speaker) per reporting verb, in text order
        for verb in (t for t in sent if _is_reporting(t, alex)):
            subj = _subject(verb, alex)
            sp = _normalize(subj, actors, lex, alex, iso3, memory, _denies(verb, alex)) if subj else None
            if sp is not None:
                by_verb[verb.i] = sp
                found.append((_depth(verb), sp))
                memory.last = sp
                if sp.role == "armed group":
                    memory.last_group = sp
        acc = _according_to(sent)
        speaker = _normalize(acc, actors, lex, alex, iso3, memory, False) if acc is not None else None
        if speaker is None and found:
            speaker = min(found, key=lambda f: f[0])[1]
        if speaker is None:
            carried = memory.last if (memory.last is not None and para == prev_para) else None
            speaker = replace(carried, explicit=False) if carried is not None else UNATTRIBUTED
        else:
            memory.last = speaker if not found else memory.last
            if speaker.role == "armed group":
                memory.last_group = speaker
        if speaker is UNATTRIBUTED:
            memory.last = None
        by_sentence.append(speaker)
        prev_para = para
    return Attribution(by_sentence, by_verb, alex["back_references"])


def stance_in_event(speaker: Speaker, parties: set[str], violent: bool) -> Stance:
    """A state force claims when it fought in the event; otherwise it confirms like any official.

    Armed groups always claim, denials stay denials, and the outlet or unnamed sources report.
    """
    if speaker.role != "security forces" or speaker.stance in ("denies", "reports"):
        return speaker.stance
    return "claims" if violent and speaker.claimant in parties else "confirms"
