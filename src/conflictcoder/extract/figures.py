"""Numbers and quantities: what is counted, what happened to it, how hedged.

A number is read from digits ("4,000"), words ("four", "twenty-five", "a dozen"), vague words
("dozens": ACLED's 12, open-ended) and hyphenated compounds ("35-vehicle convoy", "ten-hour"). What it
counts comes from the noun it modifies (data/figures.json), what happened from the nearby outcome words,
and the hedge from the words before it or from the sentence ("reportedly"). "Between eight and ten" is a
range; "put the toll at seven" counts the dead; "including three civilians" is a breakdown (`subset`) of
the figure before it; "denied that any soldier was killed" is a claim of zero. Seized or destroyed things
are `about` the party they were taken from when the phrase says so ("from a Levies post", "of Ethiopian
troops"); displaced people are civilians unless the text says otherwise.
"""

from __future__ import annotations

import functools
import logging
import math
import re
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Span, Token
from text_to_num import text2num

from conflictcoder.data_files import read_json_object
from conflictcoder.model import About, FigureKind

log = logging.getLogger(__name__)
#: The largest figure kept. No count the codebook records (deaths, people displaced, rounds seized) comes
#: near a billion; a larger number ("999…9 soldiers", 500 digits) is an error or a provocation, and is
#: ignored with a logged warning rather than clamped, so that no invented value enters a claim.
FIGURE_CEILING = 1_000_000_000.0
_POWER = ("^", "**")


@dataclass(frozen=True)
class FigureLexicon:
    vague: dict[str, int]
    hedges_before: dict[str, str]
    hedges_sentence: dict[str, str]
    person_about: dict[str, About]
    thing_class: dict[str, str]
    outcome: dict[str, str]
    zero_phrases: dict[str, tuple[str, str]]
    owner_places: dict[str, About]
    denying_verbs: frozenset[str]
    seizing: frozenset[str]
    seizing_phrases: tuple[str, ...]
    predicate_skip: frozenset[str]
    word_numbers: dict[str, int]
    stops: frozenset[str]

    @functools.cached_property
    def hedge_words(self) -> frozenset[str]:
        return frozenset(w for phrase in self.hedges_before for w in phrase.split())


def load_figure_lexicon(path: Path, attribution_path: Path) -> FigureLexicon:
    """data/figures.json (and the denying verbs of data/attribution.json), or the user's copies."""
    raw = read_json_object(path)
    person_about = {w: about for about, words in raw["persons"].items() for w in words}
    thing_class = {w: cls for cls, words in raw["things"].items() for w in words}
    outcome = {w: cls for cls, words in raw["outcomes"].items() for w in words}
    zero = {k: (v[0], v[1]) for k, v in raw["zero_phrases"].items()}
    return FigureLexicon(
        raw["vague"],
        raw["hedges_before"],
        raw["hedges_sentence"],
        person_about,
        thing_class,
        outcome,
        zero,
        raw["owner_places"],
        frozenset(read_json_object(attribution_path)["denying_verbs"]),
        frozenset(w for w in raw["outcomes"]["seized"] if " " not in w),
        tuple(w for w in raw["outcomes"]["seized"] if " " in w),
        frozenset(raw["predicate_skip"]),
        raw["word_numbers"],
        frozenset(raw["counted_noun_stops"]),
    )


@dataclass(frozen=True)
class FigureMention:
    """A quantity in one sentence. Offsets are characters in the article text."""

    figure: FigureKind
    about: About
    low: float
    high: float | None
    hedge: str | None
    item: str | None
    unit: str | None
    start: int
    end: int
    sent: int
    subset: bool = False


@dataclass(frozen=True)
class _Number:
    low: float
    high: float | None
    start: int  # token index of the first token of the number expression
    end: int  # token index after it
    hedge: str | None
    hedge_start: int  # token index where the hedge written before it begins ("at least"), else `start`


def _read_number(doc: Doc, i: int, lex: FigureLexicon) -> tuple[float, float | None, int] | None:
    """(low, high, end) for a number expression starting at token i, else None (also for a number
    above FIGURE_CEILING, which is logged)."""
    read = _read_any_number(doc, i, lex)
    if read is not None and not read[0] <= FIGURE_CEILING:  # also false for NaN
        shown = doc[i : read[2]].text
        shown = shown if len(shown) <= 40 else f"{shown[:20]}…({len(shown)} characters)"
        log.warning(
            "ignored the number %r at character %d: above the ceiling of %g",
            shown,
            doc[i].idx,
            FIGURE_CEILING,
        )
        return None
    return read


def _read_any_number(doc: Doc, i: int, lex: FigureLexicon) -> tuple[float, float | None, int] | None:
    tok = doc[i]
    low2 = (tok.lower_ + " " + doc[i + 1].lower_) if i + 1 < len(doc) else ""
    if low2 in lex.vague:
        return float(lex.vague[low2]), (12.0 if low2 == "a dozen" else None), i + 2
    if tok.lower_ in lex.vague:
        return float(lex.vague[tok.lower_]), None, i + 1
    text = tok.text.replace(",", "")
    if re.fullmatch(r"\d+(\.\d+)?", text):
        if i > 0 and doc[i - 1].text in _POWER:
            return None  # the exponent of "10^400", read with its base
        if i + 2 < len(doc) and doc[i + 1].text in _POWER and doc[i + 2].text.isdigit():
            value = _power(float(text), doc[i + 2].text)  # "10^400 killed": one number, not 10 and 400
            return value, value, i + 3
        return float(text), float(text), i + 1
    if (tok.like_num and tok.is_alpha) or tok.lower_ in lex.word_numbers:
        j = i
        words: list[str] = []
        while j < len(doc) and (
            (doc[j].like_num and doc[j].is_alpha)
            or doc[j].lower_ in ("hundred", "thousand")
            or (doc[j].text == "-" and words)
            or (
                doc[j].lower_ == "and"
                and words
                and words[-1] in ("hundred", "thousand")  # "two hundred and fifty", not "eight and ten"
                and j + 1 < len(doc)
                and doc[j + 1].like_num
            )
        ):
            words.append(doc[j].lower_)
            j += 1
        while words and words[-1] in ("-", "and"):
            words.pop()
            j -= 1
        if words:
            try:
                value = float(text2num(" ".join(w for w in words if w != "-").replace(" - ", "-"), "en"))
            except ValueError:
                value = float(lex.word_numbers.get(words[0], 0)) or None  # type: ignore[assignment]
            if value:
                return value, value, j
        if tok.lower_ in lex.word_numbers:  # "a"/"an" only reach here before a countable noun
            v = float(lex.word_numbers[tok.lower_])
            return v, v, i + 1
    return None


def _power(base: float, exponent: str) -> float:
    """base ** exponent, or infinity when that is beyond any float (the ceiling then ignores it)."""
    if len(exponent) > 4:
        return math.inf if base > 1 else float(base == 1)
    try:
        return float(base ** int(exponent))
    except OverflowError:
        return math.inf


def hedge_before(doc: Doc, start: int, lex: FigureLexicon) -> tuple[str | None, int]:
    """The hedge written right before token `start` ('at least', 'around') and where it begins."""
    return _hedge_before(doc, start, lex)


def _hedge_before(doc: Doc, start: int, lex: FigureLexicon) -> tuple[str | None, int]:
    for n in (3, 2, 1):
        if start - n < 0:
            continue
        phrase = doc[start - n : start].text.lower()
        if phrase in lex.hedges_before:
            return lex.hedges_before[phrase], start - n
    return None, start


def _apply_hedge(low: float, high: float | None, hedge: str | None) -> tuple[float, float | None]:
    if hedge in ("at least",):
        return low, None
    if hedge == "more than":
        return low + 1, None
    if hedge == "up to":
        return min(1.0, low), low
    if hedge == "nearly":
        return float(round(low * 0.9)), low - 1
    if hedge == "about":
        return float(round(low * 0.9)), float(round(low * 1.1))
    if hedge == "fewer than":
        return 0.0, low - 1
    return low, high


def _sentence_hedge(sent: Span, lex: FigureLexicon) -> str | None:
    low = sent.text.lower()
    for phrase, hedge in lex.hedges_sentence.items():
        if phrase in low and re.search(rf"\b{re.escape(phrase)}\b", low):
            return hedge
    return None


def _keys(tok: Token) -> tuple[str, str]:
    return tok.lemma_.lower(), tok.lower_


def _class_of(tok: Token, table: dict[str, str]) -> str | None:
    for k in _keys(tok):
        if k in table:
            return table[k]
    return None


def _outcome_near(doc: Doc, lo: int, hi: int, lex: FigureLexicon) -> str | None:
    for k in range(max(lo, 0), min(hi, len(doc))):
        cls = _class_of(doc[k], lex.outcome)
        if cls is not None:
            return cls
    return None


def _counted(doc: Doc, num: _Number, lex: FigureLexicon) -> tuple[str, Token] | None:
    """The noun the number counts, allowing a few modifiers ('23 Kalashnikov rifles', 'four personnel')."""
    j = num.end
    if j < len(doc) and doc[j].text == "-":  # "35-vehicle convoy", "ten-hour takeover"
        j += 1
    skipped: tuple[str, Token] | None = None  # "six-hour siege": the modifier counts when its head does not
    for k in range(j, min(j + 4, len(doc))):
        tok = doc[k]
        if k == j and tok.lower_ == "of":
            continue  # "dozens of others", "hundreds of people"
        if tok.lower_ in lex.stops or (tok.is_punct and tok.text != "-"):
            break
        found = _counted_class(tok, lex)
        if tok.dep_ in ("amod", "compound") and tok.head.i > tok.i and tok.head.i < k + 4:
            skipped = skipped or found
            continue  # "military vehicle", "35-vehicle convoy": the head noun says what is counted
        if found is not None:  # POS is not trusted here: the small model tags "rifles" as a verb
            return found
        if tok.pos_ in ("VERB", "AUX", "ADP") and tok.lower_ not in ("-",):
            break
    return skipped


def _counted_class(tok: Token, lex: FigureLexicon) -> tuple[str, Token] | None:
    about = _class_of(tok, lex.person_about)
    if about is not None:
        return "person:" + about, tok
    thing = _class_of(tok, lex.thing_class)
    return (thing, tok) if thing is not None else None


def _verb_before(doc: Doc, num: _Number, sent: Span, lex: FigureLexicon) -> Token | None:
    """The verb right before a number and its hedge: 'killing at least four', 'injuring seven'."""
    k = num.start - 1
    while k >= sent.start and (doc[k].lower_ in lex.hedge_words or doc[k].lower_ == "the"):
        k -= 1
    if k >= sent.start and doc[k].pos_ == "VERB":
        return doc[k]
    return None


def _item_text(doc: Doc, num: _Number, noun: Token, lex: FigureLexicon) -> str:
    """'23 Kalashnikov rifles' -> 'Kalashnikov rifles': the counted noun with its compound modifiers."""
    start = num.end + (1 if num.end < len(doc) and doc[num.end].text == "-" else 0)
    while start < noun.i and doc[start].lower_ in ("of", "the", "these", "those"):
        start += 1  # "three of the vehicles" -> "vehicles"
    end = noun.i + 1
    cls = _class_of(noun, lex.thing_class)
    while end < len(doc) and (
        (doc[end - 1].dep_ == "compound" and doc[end].pos_ in ("NOUN", "PROPN"))
        or _class_of(doc[end], lex.thing_class) == cls  # "AK-47 rifles": the noun after the model name
    ):
        end += 1
    return doc[start:end].text


def _owner(doc: Doc, noun: Token, sent: Span, lex: FigureLexicon) -> About:
    """Whose things: 'rifles from a Levies post', 'a convoy of Ethiopian troops', 'took … from the army'."""
    if noun.dep_ in ("compound", "nummod", "amod") and _class_of(noun.head, lex.thing_class):
        noun = noun.head  # "15 AK-47 rifles": the rifles, not the model name
    heads = [noun, *noun.conjuncts]
    t = noun
    while t.head is not t and t.dep_ in ("conj", "dobj", "nsubjpass", "pobj", "appos") and len(heads) < 4:
        t = t.head
        heads.append(t)
    for h in heads:
        for prep in (c for c in h.children if c.dep_ in ("prep", "agent") and c.lower_ in ("from", "of")):
            for tok in prep.subtree:
                if tok is prep:
                    continue
                about = _class_of(tok, lex.person_about) or lex.owner_places.get(tok.lemma_.lower())
                if about is not None and about != "unknown":
                    return about  # type: ignore[return-value]
    return "unknown"


def _conjoined_count(noun: Token, lex: FigureLexicon) -> int:
    """'burned the council office and two schools': same-kind things with no number of their own."""
    cls = _class_of(noun, lex.thing_class)
    siblings = [*noun.conjuncts]
    return sum(
        1
        for t in siblings
        if _class_of(t, lex.thing_class) == cls
        and t.tag_ in ("NN", "NNP")
        and not any(c.dep_ == "nummod" for c in t.children)
    )


def _predicate_after(doc: Doc, noun: Token, sent: Span, lex: FigureLexicon) -> str | None:
    """The outcome that coordinated counts share: '13 police and 4 civilians were (claimed to be) injured'."""
    for tok in doc[noun.i + 1 : min(sent.end, noun.i + 14)]:
        outcome = _of_person(_class_of(tok, lex.outcome))
        if outcome is not None:
            return outcome
        skippable = (
            tok.lower_ in lex.predicate_skip
            or tok.like_num
            or tok.pos_ in ("AUX", "CCONJ")
            or _class_of(tok, lex.person_about) is not None
            or tok.dep_ in ("compound", "amod", "nummod")
        )
        if not skippable:
            return None
    return None


def _of_person(outcome: str | None) -> str | None:
    """Outcomes that happen to people; 'taken … captive' is an abduction, not a seizure."""
    return outcome if outcome in ("killed", "injured", "abducted", "arrested", "displaced") else None


def _toll_at(doc: Doc, num: _Number, sent: Span, lex: FigureLexicon) -> str | None:
    """'put the toll at eight', 'the number of dead rose to 12': the outcome the count measures."""
    k = num.hedge_start - 1
    if k < sent.start or doc[k].lower_ not in ("at", "to"):
        return None
    for tok in doc[max(sent.start, k - 6) : k]:
        if tok.lower_ in ("toll", "tally"):
            return "killed"
        cls = _class_of(tok, lex.outcome)
        if cls in ("killed", "injured"):
            return cls
    return None


def _part_of_previous(doc: Doc, num: _Number, sent: Span) -> bool:
    """'including three civilians', 'two of them children', 'among them four soldiers'."""
    before = doc[max(sent.start, num.start - 2) : num.start].text.lower()
    after = doc[num.end : min(sent.end, num.end + 2)].text.lower()
    return before.endswith(("including", "among them", "among whom")) or after in ("of them", "of whom")


def _classify(
    doc: Doc,
    sent: Span,
    num: _Number,
    lex: FigureLexicon,
    prev: tuple[str, About] | None,
    counted: tuple[str, Token] | None,
) -> tuple[FigureKind, About, str | None, str | None] | None:
    """What the number counts and what happened to it; `counted` is `_counted(doc, num, lex)`."""
    window_before = (max(sent.start, num.start - 3), num.start)
    if counted is None:
        toll = _toll_at(doc, num, sent, lex)
        if toll is not None:
            return toll, "unknown", None, None  # type: ignore[return-value]
        if doc[num.start].ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "ORDINAL"):
            return None
        # A bare number that an outcome word follows or governs counts people: "four killed",
        # "leaves two dead", "shelling kills six"; after a person figure it counts the same people
        # ("at least four personnel dead and seven injured").
        nxt = doc[num.end] if num.end < sent.end else None
        verb = _verb_before(doc, num, sent, lex)
        bare = _of_person(_class_of(nxt, lex.outcome) if nxt is not None else None) or _of_person(
            _class_of(verb, lex.outcome) if verb is not None else None
        )
        if bare in ("killed", "injured", "abducted", "arrested"):
            return bare, (prev[1] if prev is not None else "unknown"), None, None  # type: ignore[return-value]
        return None
    cls, noun = counted
    h_start = num.hedge_start
    if cls.startswith("person:") and h_start > sent.start and doc[h_start - 1].lower_ == "by":
        return None  # "beaten to death by four men": the attackers, not the victims
    if cls.startswith("person:"):
        about: About = cls.split(":", 1)[1]  # type: ignore[assignment]
        if about == "unknown" and noun.lemma_.lower() in ("other", "others") and prev is not None:
            about = prev[1]  # "killing four soldiers and injuring seven others"
        verb_before = _verb_before(doc, num, sent, lex)
        outcome = (
            _of_person(_class_of(noun, lex.outcome))  # "14 bodies"
            or _of_person(_outcome_near(doc, num.end, noun.i, lex))  # "37 wounded people"
            or _of_person(_class_of(verb_before, lex.outcome) if verb_before is not None else None)
            or _predicate_after(doc, noun, sent, lex)
            or _of_person(_outcome_near(doc, noun.i + 1, min(noun.i + 5, sent.end), lex))
            or _toll_at(doc, num, sent, lex)
            or _of_person(_outcome_near(doc, *window_before, lex))
        )
        if outcome is None and noun.head is not noun:
            outcome = _of_person(_class_of(noun.head, lex.outcome))
        joined = noun.dep_ == "conj" or _part_of_previous(doc, num, sent)
        if outcome is None and prev is not None and joined:
            outcome = prev[0]  # "killing four policemen and two passers-by", "including three civilians"
        if outcome == "displaced" and about == "unknown":
            about = "civilians"  # people who flee fighting are civilians unless the text says otherwise
        if outcome in ("killed", "injured", "abducted", "arrested", "displaced"):
            return outcome, about, None, None  # type: ignore[return-value]
        return None
    item = _item_text(doc, num, noun, lex)
    owner = _owner(doc, noun, sent, lex)
    sent_keys = {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
    seized = bool(sent_keys & lex.seizing) or any(p in sent.text.lower() for p in lex.seizing_phrases)
    destroyed = (
        _outcome_near(doc, max(sent.start, num.start - 6), min(sent.end, noun.i + 6), lex) == "destroyed"
    )
    if cls == "convoy":
        return "convoy_size", owner, None, "vehicles"
    if cls == "durations":
        if any(t.lower_ in ("ago", "later", "earlier", "after") for t in doc[noun.i + 1 : noun.i + 3]):
            return None
        return "duration", "unknown", None, noun.lemma_.lower() + "s"
    if cls == "weapons" and seized:
        return "weapons_seized", owner, item, None
    if cls == "ammunition" and seized:
        return "ammunition_seized", owner, item, "rounds"
    if cls == "vehicles":
        if doc[max(sent.start, num.start - 2) : num.start].text.lower() == "convoy of":
            return "convoy_size", owner, None, "vehicles"  # "a convoy of 35 vehicles"
        if destroyed:
            return "vehicles_destroyed", owner, item, None
        if seized:
            return "vehicles_seized", owner, item, None
        return None
    if cls == "buildings" and destroyed:
        return "buildings_destroyed", owner, item, None  # conjoined singular buildings: find_figures
    return None


def find_figures(doc: Doc, lex: FigureLexicon) -> list[FigureMention]:
    """All quantities in the document, sentence by sentence, in text order."""
    out: list[FigureMention] = []
    for n, sent in enumerate(doc.sents):
        s_hedge = _sentence_hedge(sent, lex)
        prev: tuple[str, About] | None = None
        i = sent.start
        while i < sent.end:
            read = _read_number(doc, i, lex)
            if read is None or (doc[i].lower_ in ("a", "an") and not _is_counting_article(doc, i, lex)):
                i += 1
                continue
            low, high, end = read
            hedge, h_start = _hedge_before(doc, i, lex)
            written_start = h_start  # where a hedge written before the number begins
            if (
                i > sent.start
                and doc[i - 1].lower_ == "between"
                and end < sent.end
                and doc[end].lower_ == "and"
            ):
                upper = _read_number(doc, end + 1, lex)  # "between eight and ten"
                if upper is not None:
                    high, end, hedge, h_start = upper[1] or upper[0], upper[2], "between", i - 1
            if hedge == "exact":
                hedge = None
            if high is None and hedge is None:
                hedge = doc[i:end].text.lower()  # vague words are their own hedge ("dozens")
            if hedge != "between":
                low, high = _apply_hedge(low, high, hedge)
            num = _Number(low, high, i, end, hedge, written_start)
            counted = _counted(doc, num, lex)
            got = _classify(doc, sent, num, lex, prev, counted)
            if got is not None:
                figure, about, item, unit = got
                extra = _conjoined_count(counted[1], lex) if counted and figure.endswith("destroyed") else 0
                if extra:
                    low, high = low + extra, (high + extra if high is not None else None)
                    item = None  # "the council office and two schools": several kinds of building
                subset = prev is not None and prev[0] == figure and _part_of_previous(doc, num, sent)
                if figure in ("killed", "injured", "abducted", "arrested") and not subset:
                    prev = (figure, about)
                span_end = doc[min(end, len(doc) - 1)].idx if end < len(doc) else len(doc.text)
                out.append(
                    FigureMention(
                        figure=figure,
                        about=about,
                        low=low,
                        high=high,
                        hedge=hedge or s_hedge,
                        item=item,
                        unit=unit,
                        start=doc[h_start].idx,
                        end=_end_char(doc, i, end, span_end),
                        sent=n,
                        subset=subset,
                    )
                )
            i = end
        out.extend(_zero_claims(doc, sent, n, lex))
        out.extend(_one_person(doc, sent, n, lex))
    return out


def _one_person(doc: Doc, sent: Span, n: int, lex: FigureLexicon) -> list[FigureMention]:
    """'He was killed in the attack', 'she died in hospital': one person, named before."""
    out: list[FigureMention] = []
    for tok in sent:
        if tok.lower_ not in ("he", "she") or tok.dep_ not in ("nsubj", "nsubjpass"):
            continue
        outcome = _of_person(_class_of(tok.head, lex.outcome))
        passive = tok.dep_ == "nsubjpass" or tok.head.lemma_.lower() in ("die", "succumb", "perish")
        if outcome in ("killed", "injured", "abducted", "arrested") and passive:
            end = tok.head.idx + len(tok.head.text)
            out.append(FigureMention(outcome, "unknown", 1, 1, None, None, None, tok.idx, end, n))  # type: ignore[arg-type]
    return out


def _is_counting_article(doc: Doc, i: int, lex: FigureLexicon) -> bool:
    """'a' counts only before a countable figure noun: 'a military vehicle was destroyed',
    'a man was killed' (the person is counted only if an outcome follows, see `_classify`)."""
    nxt = doc[i + 1 : i + 3]
    return any(
        _class_of(t, lex.thing_class) in ("vehicles", "buildings") or _class_of(t, lex.person_about)
        for t in nxt
    )


def _end_char(doc: Doc, i: int, end: int, fallback: int) -> int:
    last = doc[end - 1]
    return last.idx + len(last.text) if end - 1 >= i else fallback


def _zero(figure: str, about: str, start: int, end: int, n: int) -> FigureMention:
    return FigureMention(figure, about, 0, 0, None, None, None, start, end, n)  # type: ignore[arg-type]


def _zero_claims(doc: Doc, sent: Span, n: int, lex: FigureLexicon) -> list[FigureMention]:
    """'no civilian casualties' is a claim of zero, not a fact; so is 'denied that any soldier was killed'."""
    out: list[FigureMention] = []
    low = sent.text.lower()
    taken: list[tuple[int, int]] = []
    for phrase, (figure, about) in sorted(lex.zero_phrases.items(), key=lambda kv: -len(kv[0])):
        if phrase not in low:
            continue  # a cheap test before the regular expression
        for m in re.finditer(rf"\b{re.escape(phrase)}\b", low):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            start = sent.start_char + m.start()
            out.append(_zero(figure, about, start, start + len(phrase), n))
    if not any(t.lemma_.lower() in lex.denying_verbs for t in sent):
        return out
    for tok in sent:  # "denied that any soldier was killed", "rejected reports of any casualties"
        if tok.lower_ != "any" or tok.head is tok:
            continue
        noun = tok.head
        about = _class_of(noun, lex.person_about)
        outcome = _class_of(noun.head, lex.outcome) or _class_of(noun, lex.outcome)
        if about is None and outcome is None:
            continue
        if outcome in ("killed", "injured", "abducted", "arrested"):
            out.append(_zero(outcome, about or "unknown", tok.idx, noun.idx + len(noun.text), n))
    return out
