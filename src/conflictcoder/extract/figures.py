"""Numbers and quantities: what is counted, what happened to it, how hedged.

A number is read from digits ("4,000"), words ("four", "twenty-five", "a dozen"), vague words
("dozens": ACLED's 12, open-ended) and hyphenated compounds ("35-vehicle convoy", "ten-hour"). What it
counts comes from the noun it modifies (data/figures.json), what happened from the nearby outcome words,
and the hedge from the words before it or from the sentence ("reportedly").
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Span, Token
from text_to_num import text2num

from conflictcoder.data_files import data_file
from conflictcoder.model import About, FigureKind

_WORD_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "single": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "dozen": 12,
    "couple": 2,
    "pair": 2,
}
_STOP = {",", ";", ":", "and", "while", "but", "as", "after", "before", "when", "which", "who", "including"}


@dataclass(frozen=True)
class FigureLexicon:
    vague: dict[str, int]
    hedges_before: dict[str, str]
    hedges_sentence: dict[str, str]
    person_about: dict[str, About]
    thing_class: dict[str, str]
    outcome: dict[str, str]
    zero_phrases: dict[str, tuple[str, str]]


@functools.lru_cache(maxsize=4)
def load_figure_lexicon(lexicon_dir: Path | None = None) -> FigureLexicon:
    raw = json.loads(data_file("figures.json", lexicon_dir).read_text(encoding="utf-8"))
    person_about = {w: about for about, words in raw["persons"].items() for w in words}
    thing_class = {w: cls for cls, words in raw["things"].items() for w in words}
    outcome = {w: cls for cls, words in raw["outcomes"].items() for w in words}
    zero = {k: (v[0], v[1]) for k, v in raw["zero_phrases"].items()}
    return FigureLexicon(
        raw["vague"], raw["hedges_before"], raw["hedges_sentence"], person_about, thing_class, outcome, zero
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


@dataclass(frozen=True)
class _Number:
    low: float
    high: float | None
    start: int  # token index of the first token of the number expression
    end: int  # token index after it
    hedge: str | None


def _read_number(doc: Doc, i: int, lex: FigureLexicon) -> tuple[float, float | None, int] | None:
    """(low, high, end) for a number expression starting at token i, else None."""
    tok = doc[i]
    low2 = (tok.lower_ + " " + doc[i + 1].lower_) if i + 1 < len(doc) else ""
    if low2 in lex.vague:
        return float(lex.vague[low2]), (12.0 if low2 == "a dozen" else None), i + 2
    if tok.lower_ in lex.vague:
        return float(lex.vague[tok.lower_]), None, i + 1
    text = tok.text.replace(",", "")
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text), float(text), i + 1
    if (tok.like_num and tok.is_alpha) or tok.lower_ in _WORD_NUMBERS:
        j = i
        words: list[str] = []
        while j < len(doc) and (
            (doc[j].like_num and doc[j].is_alpha)
            or doc[j].lower_ in ("hundred", "thousand")
            or (doc[j].text == "-" and words)
            or (doc[j].lower_ == "and" and words and j + 1 < len(doc) and doc[j + 1].like_num)
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
                value = float(_WORD_NUMBERS.get(words[0], 0)) or None  # type: ignore[assignment]
            if value:
                return value, value, j
        if tok.lower_ in _WORD_NUMBERS and tok.lower_ not in ("a", "an"):
            v = float(_WORD_NUMBERS[tok.lower_])
            return v, v, i + 1
    return None


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
        if re.search(rf"\b{re.escape(phrase)}\b", low):
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
    for k in range(j, min(j + 4, len(doc))):
        tok = doc[k]
        if k == j and tok.lower_ == "of":
            continue  # "dozens of others", "hundreds of people"
        if tok.lower_ in _STOP or (tok.is_punct and tok.text != "-"):
            break
        if tok.dep_ in ("amod", "compound") and tok.head.i > tok.i and tok.head.i < k + 4:
            continue  # "military vehicle", "35-vehicle convoy": the head noun says what is counted
        for table in (lex.person_about, lex.thing_class):
            cls = _class_of(tok, table)
            if cls is not None:  # POS is not trusted here: the small model tags "rifles" as a verb
                return ("person:" + cls if table is lex.person_about else cls), tok
        if tok.pos_ in ("VERB", "AUX", "ADP") and tok.lower_ not in ("-",):
            break
    return None


def _verb_before(doc: Doc, num: _Number, sent: Span) -> Token | None:
    """The verb right before a number and its hedge: 'killing at least four', 'injuring seven'."""
    k = num.start - 1
    while k >= sent.start and doc[k].lower_ in (
        "at",
        "least",
        "more",
        "than",
        "over",
        "some",
        "about",
        "around",
        "nearly",
        "up",
        "to",
        "as",
        "many",
        "the",
    ):
        k -= 1
    if k >= sent.start and doc[k].pos_ == "VERB":
        return doc[k]
    return None


def _item_text(doc: Doc, num: _Number, noun: Token) -> str:
    """'23 Kalashnikov rifles' -> 'Kalashnikov rifles': the counted noun with its compound modifiers."""
    start = num.end + (1 if num.end < len(doc) and doc[num.end].text == "-" else 0)
    end = noun.i + 1
    while end < len(doc) and doc[end - 1].dep_ == "compound" and doc[end].pos_ in ("NOUN", "PROPN"):
        end += 1
    return doc[start:end].text


def _classify(
    doc: Doc, sent: Span, num: _Number, lex: FigureLexicon, prev_about: About | None
) -> tuple[FigureKind, About, str | None, str | None] | None:
    counted = _counted(doc, num, lex)
    window_before = (max(sent.start, num.start - 3), num.start)
    if counted is None:
        # "at least four personnel dead and seven injured": a bare number after a person figure
        nxt = doc[num.end] if num.end < sent.end else None
        if nxt is not None and prev_about is not None:
            cls = _class_of(nxt, lex.outcome)
            if cls in ("killed", "injured", "abducted", "arrested"):
                return cls, prev_about, None, None  # type: ignore[return-value]
        return None
    cls, noun = counted
    if cls.startswith("person:"):
        about: About = cls.split(":", 1)[1]  # type: ignore[assignment]
        if about == "unknown" and noun.lemma_.lower() in ("other", "others") and prev_about is not None:
            about = prev_about  # "killing four soldiers and injuring seven others"
        hi = noun.i + 5
        verb_before = _verb_before(doc, num, sent)
        outcome = (
            (_class_of(verb_before, lex.outcome) if verb_before is not None else None)
            or _outcome_near(doc, noun.i + 1, min(hi, sent.end), lex)
            or _outcome_near(doc, *window_before, lex)
        )
        if outcome is None and noun.head is not noun:
            outcome = _class_of(noun.head, lex.outcome)
        if outcome in ("killed", "injured", "abducted", "arrested", "displaced"):
            return outcome, about, None, None  # type: ignore[return-value]
        return None
    item = _item_text(doc, num, noun)
    sent_lemmas = {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
    seized = any(
        w in sent_lemmas
        for w in (
            "seize",
            "recover",
            "confiscate",
            "capture",
            "snatch",
            "loot",
            "take",
            "steal",
            "rob",
            "cache",
            "haul",
            "find",
            "found",
        )
    )
    destroyed = (
        _outcome_near(doc, max(sent.start, num.start - 6), min(sent.end, noun.i + 6), lex) == "destroyed"
    )
    if cls == "convoy":
        return "convoy_size", "unknown", None, "vehicles"
    if cls == "durations":
        if (
            (num.end < len(doc) and doc[num.end].text == "-")
            or "for" in {t.lower_ for t in doc[num.start - 3 : num.start]}
            or noun.head.lower_ in ("for",)
            or any(t.lower_ in ("long", "lasted", "last") for t in sent)
        ):
            return "duration", "unknown", None, noun.lemma_.lower() + "s"
        if any(t.lower_ in ("ago", "later", "earlier", "after") for t in doc[noun.i + 1 : noun.i + 3]):
            return None
        return "duration", "unknown", None, noun.lemma_.lower() + "s"
    if cls == "weapons" and seized:
        return "weapons_seized", "unknown", item, None
    if cls == "ammunition" and seized:
        return "ammunition_seized", "unknown", item, "rounds"
    if cls == "vehicles":
        if destroyed:
            return "vehicles_destroyed", "unknown", item, None
        if seized:
            return "vehicles_seized", "unknown", item, None
        return None
    if cls == "buildings" and destroyed:
        return "buildings_destroyed", "unknown", item, None
    return None


def find_figures(doc: Doc, lexicon_dir: Path | None = None) -> list[FigureMention]:
    """All quantities in the document, sentence by sentence, in text order."""
    lex = load_figure_lexicon(lexicon_dir)
    out: list[FigureMention] = []
    for n, sent in enumerate(doc.sents):
        s_hedge = _sentence_hedge(sent, lex)
        prev_about: About | None = None
        i = sent.start
        while i < sent.end:
            read = _read_number(doc, i, lex)
            if read is None or (doc[i].lower_ in ("a", "an") and not _is_counting_article(doc, i, lex)):
                i += 1
                continue
            low, high, end = read
            hedge, h_start = _hedge_before(doc, i, lex)
            if hedge == "exact":
                hedge = None
            if high is None and hedge is None:
                hedge = doc[i:end].text.lower()  # vague words are their own hedge ("dozens")
            low, high = _apply_hedge(low, high, hedge)
            num = _Number(low, high, i, end, hedge)
            got = _classify(doc, sent, num, lex, prev_about)
            if got is not None:
                figure, about, item, unit = got
                if figure in ("killed", "injured", "abducted", "arrested"):
                    prev_about = about
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
                    )
                )
            i = end
        out.extend(_zero_claims(doc, sent, n, lex))
    return out


def _is_counting_article(doc: Doc, i: int, lex: FigureLexicon) -> bool:
    """'a' counts only before a countable figure noun ('a military vehicle was destroyed')."""
    nxt = doc[i + 1 : i + 3]
    return any(_class_of(t, lex.thing_class) in ("vehicles", "buildings") for t in nxt)


def _end_char(doc: Doc, i: int, end: int, fallback: int) -> int:
    last = doc[end - 1]
    return last.idx + len(last.text) if end - 1 >= i else fallback


def _zero_claims(doc: Doc, sent: Span, n: int, lex: FigureLexicon) -> list[FigureMention]:
    """'no civilian casualties' is a claim of zero, not a fact."""
    out: list[FigureMention] = []
    low = sent.text.lower()
    taken: list[tuple[int, int]] = []
    for phrase, (figure, about) in sorted(lex.zero_phrases.items(), key=lambda kv: -len(kv[0])):
        for m in re.finditer(rf"\b{re.escape(phrase)}\b", low):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            start = sent.start_char + m.start()
            out.append(
                FigureMention(
                    figure=figure,
                    about=about,
                    low=0,
                    high=0,
                    hedge=None,
                    item=None,  # type: ignore[arg-type]
                    unit=None,
                    start=start,
                    end=start + len(phrase),
                    sent=n,
                )
            )
    return out
