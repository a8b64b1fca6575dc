"""Attribution: who says each sentence, in what role and with what stance.

A sentence's speaker is the subject of its reporting verb ("X said", "X claimed", "X confirmed"), or the
object of "according to X". Reporters carry attribution forward: "He said", "The spokesperson added",
"According to the group" point back to the last speaker of that kind, and a sentence with no speaker of
its own continues the account of the speaker before it within the same paragraph. A new speaker, or a new
paragraph with no speaker, ends it: then the outlet itself reports.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from conflictcoder.extract.actors import ActorLexicon, ActorMention
from conflictcoder.model import ClaimantRole, Stance

REPORTING = frozenset(
    [
        "say",
        "claim",
        "tell",
        "add",
        "confirm",
        "state",
        "announce",
        "report",
        "deny",
        "reject",
        "dismiss",
        "refute",
        "allege",
        "assert",
        "insist",
        "maintain",
        "acknowledge",
        "admit",
        "warn",
        "explain",
        "note",
        "emphasize",
        "emphasise",
        "describe",
        "disclose",
        "reveal",
    ]
)
DENYING = frozenset(["deny", "reject", "dismiss", "refute"])
OFFICIAL_TITLES = frozenset(
    [
        "commissioner",
        "governor",
        "minister",
        "mayor",
        "administrator",
        "chief",
        "official",
        "officials",
        "officer",
        "superintendent",
        "inspector",
        "deputy",
        "secretary",
        "president",
        "spokesman",
        "spokesperson",
        "spokeswoman",
        "ministry",
        "authorities",
        "authority",
        "administration",
        "government",
    ]
)
SPOKES = frozenset({"spokesman", "spokesperson", "spokeswoman", "representative", "commander", "leader"})
WITNESSES = frozenset(
    ["witness", "witnesses", "resident", "residents", "locals", "villagers", "eyewitness", "eyewitnesses"]
)
MEDIA = frozenset(
    [
        "media",
        "newspaper",
        "agency",
        "reuters",
        "afp",
        "ap",
        "channel",
        "television",
        "outlet",
        "reporter",
        "correspondent",
    ]
)
OFFICE_HOLDERS = frozenset(
    [
        "officer",
        "official",
        "chief",
        "superintendent",
        "inspector",
        "commissioner",
        "commander",
        "spokesman",
        "spokesperson",
        "spokeswoman",
        "minister",
        "governor",
        "administrator",
    ]
)
GROUP_WORDS = frozenset(
    [
        "group",
        "organisation",
        "organization",
        "outfit",
        "militants",
        "rebels",
        "insurgents",
        "separatists",
        "movement",
        "faction",
    ]
)
PRONOUNS = frozenset(
    {"he", "she", "they", "it", "the spokesperson", "the spokesman", "the group", "the official"}
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


def _reporting_verb(sent: Span) -> Token | None:
    """The highest reporting verb of the sentence (closest to the root)."""
    best: tuple[int, Token] | None = None
    for tok in sent:
        if tok.pos_ == "VERB" and tok.lemma_.lower() in REPORTING:
            depth, t = 0, tok
            while t.head is not t and depth < 20:
                t, depth = t.head, depth + 1
            if best is None or depth < best[0]:
                best = (depth, tok)
    return best[1] if best else None


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


def _subject(verb: Token) -> Span | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return verb.doc[child.left_edge.i : child.right_edge.i + 1]
    if verb.dep_ in ("conj", "advcl") and verb.head is not verb:
        return _subject(verb.head)
    return None


@dataclass
class _Memory:
    last: Speaker | None = None
    last_group: Speaker | None = None
    persons: dict[str, Speaker] | None = None


def _in_span(m: ActorMention, span: Span) -> bool:
    return span.start <= m.start < span.end


def _normalize(
    phrase: Span,
    actors: list[ActorMention],
    lex: ActorLexicon,
    iso3: str | None,
    memory: _Memory,
    stance_verb: str | None,
) -> Speaker | None:
    low = phrase.text.lower().strip()
    words = set(low.replace("’s", "").replace("'s", "").split())
    deny = stance_verb in DENYING
    if low in PRONOUNS or low.startswith(("the spokes", "the group", "a spokes", "the militant")):
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
    if phrase.root.lemma_.lower() in GROUP_WORDS and not any(_in_span(m, phrase) for m in actors):
        group = next((m for m in reversed(actors) if m.category == "group" and m.start < phrase.start), None)
        if group is not None:  # "the separatist group said": the group last named
            name, _ = lex.fill(group.name, group.iso3 or iso3)
            return Speaker(
                name,
                "armed group",
                "denies" if deny else "claims",
                None,
                phrase.start_char,
                phrase.end_char,
                True,
            )
    persons = [e for e in phrase.ents if e.label_ == "PERSON"]
    named = [m for m in actors if _in_span(m, phrase)]
    spokesperson = persons[0].text if persons else None
    if named and phrase.root.lemma_.lower() in OFFICE_HOLDERS and named[0].category != "group":
        # "the district police officer said": an official speaking, not the force as a party
        return Speaker(
            _clean(phrase),
            "official",
            "denies" if deny else "confirms",
            spokesperson,
            phrase.start_char,
            phrase.end_char,
            True,
        )
    if named:
        m = named[0]
        name, _ = lex.fill(m.name, m.iso3 or iso3)
        role: ClaimantRole = (
            "security forces"
            if m.category in ("state", "military", "police")
            else (
                "armed group"
                if m.inter in (2, 3, 4, 8)
                else "witness"
                if m.category == "civilians"
                else "official"
            )
        )
        stance: Stance = (
            "denies" if deny else ("claims" if role in ("armed group", "security forces") else "confirms")
        )
        sp = Speaker(name, role, stance, spokesperson, phrase.start_char, phrase.end_char, True)
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
    stance_default: Stance = "denies" if deny else "confirms"
    if words & WITNESSES:
        return Speaker("witnesses", "witness", stance_default, None, phrase.start_char, phrase.end_char, True)
    if words & MEDIA:
        return Speaker(
            _clean(phrase), "media", stance_default, None, phrase.start_char, phrase.end_char, True
        )
    if words & OFFICIAL_TITLES:
        role2: ClaimantRole = (
            "government" if words & {"government", "ministry", "administration"} else "official"
        )
        return Speaker(
            _clean(phrase), role2, stance_default, spokesperson, phrase.start_char, phrase.end_char, True
        )
    if spokesperson:
        return Speaker(
            spokesperson, "witness", stance_default, spokesperson, phrase.start_char, phrase.end_char, True
        )
    return None


def _clean(phrase: Span) -> str:
    text = phrase.text.strip()
    for art in ("the ", "The ", "a ", "A "):
        if text.startswith(art):
            text = text[len(art) :]
    return text[:1].upper() + text[1:]


def _paragraph_starts(doc: Doc) -> list[int]:
    return [i for i, ch in enumerate(doc.text) if ch == "\n"]


def find_speakers(doc: Doc, actors: list[ActorMention], lex: ActorLexicon, iso3: str | None) -> list[Speaker]:
    """One Speaker per sentence of `doc` (UNATTRIBUTED where the outlet speaks for itself)."""
    memory = _Memory(persons={})
    breaks = _paragraph_starts(doc)
    out: list[Speaker] = []
    prev_para = -1
    for sent in doc.sents:
        para = sum(1 for b in breaks if b < sent.start_char)
        speaker: Speaker | None = None
        acc = _according_to(sent)
        verb = _reporting_verb(sent)
        if acc is not None:
            speaker = _normalize(acc, actors, lex, iso3, memory, None)
        if speaker is None and verb is not None:
            subj = _subject(verb)
            if subj is not None:
                speaker = _normalize(subj, actors, lex, iso3, memory, verb.lemma_.lower())
        if speaker is None:
            carried = memory.last if (memory.last is not None and para == prev_para) else None
            speaker = replace(carried, explicit=False) if carried is not None else UNATTRIBUTED
        else:
            memory.last = speaker
            if speaker.role == "armed group":
                memory.last_group = speaker
        if speaker is UNATTRIBUTED:
            memory.last = None
        out.append(speaker)
        prev_para = para
    return out
