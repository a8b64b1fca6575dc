"""Score the coder against externally coded data (the JSONL format of ../shared/eval).

Each row is `{"id", "text", "gold": {...}}` with the original dataset's field names: ACLED (current or
older schema, any case) or UCDP GED. The coder reads `text` with no publication date, and its first event
is compared with the row's gold record. Rows are split into two fixed halves by a hash of their id:
`tune` (for adjusting rules) and `test` (for reporting); say which one a number comes from.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from unidecode import unidecode

from conflictcoder.errors import EvalError
from conflictcoder.model import Article, CodedArticle, Event, article_id_for, normalize_text
from conflictcoder.pipeline import Coder

#: Older ACLED event types, mapped to the current taxonomy (None: only the event type is comparable).
OLD_TYPES: dict[str, tuple[str, str | None]] = {
    "battle-no change of territory": ("Battles", "Armed clash"),
    "battle-non-state actor overtakes territory": ("Battles", "Non-state actor overtakes territory"),
    "battle-government regains territory": ("Battles", "Government regains territory"),
    "remote violence": ("Explosions/Remote violence", None),
    "violence against civilians": ("Violence against civilians", None),
    "riots/protests": ("Protests|Riots", None),
    "strategic development": ("Strategic developments", None),
    "non-violent transfer of territory": ("Strategic developments", "Non-violent transfer of territory"),
    "headquarters or base established": ("Strategic developments", "Headquarters or base established"),
}


def split_of(row_id: str) -> str:
    """The fixed half a row belongs to: 'tune' or 'test' (by a hash of its id, never by content)."""
    return "tune" if int(hashlib.sha1(row_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


def _norm(text: str | None) -> str:
    if not text:
        return ""
    t = unidecode(text).lower().strip()
    t = re.sub(r"\s+(district|province|division|region|state|governorate|county|tehsil|agency)$", "", t)
    return re.sub(r"[^a-z0-9 ]+", " ", t).strip()


#: Unit-type words that naming conventions add or drop ("City of Kigali" / "Kigali City", "Grad Sibenik").
_UNIT_WORDS = frozenset(
    [
        "city",
        "of",
        "the",
        "municipality",
        "district",
        "province",
        "division",
        "region",
        "state",
        "governorate",
        "county",
        "tehsil",
        "agency",
        "oblast",
        "voblasc",
        "zupanija",
        "grad",
        "kabupaten",
        "kota",
        "rayon",
        "raion",
        "prefecture",
        "department",
        "departamento",
        "municipio",
        "provincia",
        "wilayat",
        "muhafazat",
    ]
)


#: Words that make a different unit ("North Kivu" is not "South Kivu"; "West Punjab" is not "Punjab").
_DIRECTIONS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "upper",
        "lower",
        "central",
        "new",
        "old",
    ]
)


def same_place(pred: str | None, gold: str | None) -> bool:
    """Whether two names of a place agree once unit words, accents and punctuation are set aside
    ("Sa`dah" = "Sadah", "City of Kigali" = "Kigali City"), as close transliterations, or
    because one name's words all occur in the other ("Coahuila" within "Coahuila de Zaragoza"). Only for
    scoring: GeoNames and ACLED spell the same units differently."""
    if not pred or not gold:
        return False
    words = [
        [w for w in re.sub(r"[^a-z0-9 ]+", "", unidecode(t).lower().replace("-", " ")).split()]
        for t in (pred, gold)
    ]
    a, b = ([w for w in ws if w not in _UNIT_WORDS] or ws for ws in words)
    if a == b:
        return True
    flat = ["".join(ws) for ws in (a, b)]
    close = flat[0][:1] == flat[1][:1] and min(map(len, flat)) >= 5
    if close and SequenceMatcher(None, *flat).ratio() >= 0.8:
        return True  # transliterations: "Idlib"/"Idleb", "Donetska"/"Donetsk" (not "Kech"/"Kachhi")
    short, long = sorted((a, b), key=len)
    extra = set(long) - set(short)
    return len("".join(short)) >= 4 and set(short) <= set(long) and not extra & _DIRECTIONS


def norm_actor(name: str | None) -> str:
    """Compare actor names leniently: no acronym prefix ('BLF: '), no government period ('(2018-2022)')."""
    if not name:
        return ""
    n = re.sub(r"^[^:]{1,20}:\s*", "", name)
    n = re.sub(r"\s*\(\d{4}-(\d{4})?\)", "", n)
    n = re.sub(r"^government of ", "military forces of ", n.lower())
    return _norm(n)


def _g(gold: dict[str, Any], *keys: str) -> str:
    for k in keys:
        for variant in (k, k.upper(), k.lower()):
            if variant in gold and gold[variant] not in (None, ""):
                return str(gold[variant])
    return ""


def gold_fields(gold: dict[str, Any]) -> dict[str, Any]:
    """The comparable fields of one gold record, whatever its schema."""
    et, sub = _g(gold, "event_type"), _g(gold, "sub_event_type") or None
    if et.lower() in OLD_TYPES:
        et, mapped = OLD_TYPES[et.lower()]
        sub = sub or mapped
    fat = _g(gold, "fatalities", "best", "DEAD")
    lat, lon = _g(gold, "latitude"), _g(gold, "longitude")
    return {
        "event_type": et or None,
        "sub_event_type": sub,
        "actor1": _g(gold, "actor1", "side_a", "PERPETRATOR") or None,
        "admin1": _g(gold, "admin1", "adm_1", "STATE") or None,
        "admin2": _g(gold, "admin2", "adm_2") or None,
        "location": _g(gold, "location", "CITY") or None,
        "fatalities": float(fat) if re.fullmatch(r"\d+(\.\d+)?", fat) else None,
        "low": float(_g(gold, "low")) if _g(gold, "low").isdigit() else None,
        "high": float(_g(gold, "high")) if _g(gold, "high").isdigit() else None,
        "latlon": (float(lat), float(lon)) if lat and lon else None,
    }


def read_gold(path: Path) -> Iterator[dict[str, Any]]:
    if not path.is_file():
        raise EvalError(f"{path}: no such file")
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict) or "text" not in row or "gold" not in row:
                raise ValueError("expected an object with 'text' and 'gold'")
        except ValueError as err:
            raise EvalError(f"{path}:{n}: {err}") from err
        row.setdefault("id", str(n))
        yield row


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def _f1(pairs: list[tuple[str, str]]) -> tuple[float, float]:
    """(weighted F1, macro F1) over gold classes; a missing prediction is the class 'NONE'."""
    gold_counts = Counter(g for g, _ in pairs)
    f1s: dict[str, float] = {}
    for cls in gold_counts:
        tp = sum(1 for g, p in pairs if g == cls and p == cls)
        fp = sum(1 for g, p in pairs if g != cls and p == cls)
        fn = sum(1 for g, p in pairs if g == cls and p != cls)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s[cls] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    total = sum(gold_counts.values())
    weighted = sum(f1s[c] * gold_counts[c] / total for c in f1s) if total else 0.0
    macro = sum(f1s.values()) / len(f1s) if f1s else 0.0
    return weighted, macro


def _type_match(gold: str, pred: str | None) -> bool:
    return pred is not None and pred in gold.split("|")


def evaluate_file(path: Path, coder: Coder, split: str = "test", limit: int | None = None) -> dict[str, Any]:
    """Code every row of the chosen split and score it field by field."""
    rows = [r for r in read_gold(path) if split == "all" or split_of(str(r["id"])) == split]
    if limit is not None:
        rows = rows[:limit]
    if not rows:
        raise EvalError(f"{path}: no rows in split {split!r}")
    articles = []
    for r in rows:
        text = normalize_text(r["text"])
        articles.append(Article(article_id=article_id_for(text), id=str(r["id"]), text=text))
    coded = [c for c in coder.code_many(articles) if isinstance(c, CodedArticle)]
    hits: dict[str, list[bool]] = defaultdict(list)
    type_pairs: list[tuple[str, str]] = []
    sub_pairs: list[tuple[str, str]] = []
    confusion: Counter[tuple[str, str]] = Counter()
    distances: list[float] = []
    gold_points = (
        0  # rows with gold coordinates: a row placed nowhere counts as a miss in the shares "_of_all"
    )
    no_event = 0
    for row, result in zip(rows, coded, strict=True):
        gold = gold_fields(row["gold"])
        ev: Event | None = result.events[0] if result.events else None
        no_event += ev is None
        if gold["event_type"]:
            pred_type = ev.event_type if ev else None
            hits["event_type"].append(_type_match(gold["event_type"], pred_type))
            gold_t = (
                gold["event_type"]
                if "|" not in gold["event_type"]
                else (pred_type if _type_match(gold["event_type"], pred_type) else gold["event_type"])
            )
            type_pairs.append((gold_t, pred_type or "NONE"))
            confusion[(gold_t, pred_type or "NONE")] += 1
        if gold["sub_event_type"]:
            pred_sub = ev.sub_event_type if ev else "NONE"
            hits["sub_event_type"].append(pred_sub == gold["sub_event_type"])
            sub_pairs.append((gold["sub_event_type"], pred_sub))
        if gold["actor1"]:
            pred_actors = {norm_actor(ev.actor1), norm_actor(ev.actor2)} if ev else set()
            hits["actor1"].append(ev is not None and norm_actor(ev.actor1) == norm_actor(gold["actor1"]))
            hits["actor1_either_side"].append(norm_actor(gold["actor1"]) in pred_actors)
        for f in ("admin1", "admin2", "location"):
            if gold[f]:
                hits[f].append(ev is not None and same_place(getattr(ev, f), gold[f]))
        if gold["fatalities"] is not None:
            pred = ev.fatalities.best if ev and ev.fatalities else 0.0
            hits["fatalities_exact"].append(pred == gold["fatalities"])
            hits["fatalities_within_1"].append(abs(pred - gold["fatalities"]) <= 1)
        for bound in ("low", "high"):  # UCDP's range; an open-ended prediction's high is its best
            if gold[bound] is not None:
                rng = ev.fatalities if ev else None
                value = (getattr(rng, bound) if getattr(rng, bound) is not None else rng.best) if rng else 0.0
                hits[f"fatalities_{bound}_exact"].append(value == gold[bound])
                hits[f"fatalities_{bound}_within_1"].append(abs(value - gold[bound]) <= 1)
        gold_points += bool(gold["latlon"])
        if gold["latlon"] and ev is not None and ev.latitude is not None and ev.longitude is not None:
            distances.append(_km(gold["latlon"], (ev.latitude, ev.longitude)))
    report: dict[str, Any] = {
        "file": path.name,
        "split": split,
        "model": coder.model.describe() if coder.model is not None else None,  # None: the rules alone
        "rows": len(rows),
        "no_event_rate": no_event / len(rows),
        "accuracy": {k: {"value": sum(v) / len(v), "n": len(v)} for k, v in hits.items()},
    }
    if type_pairs:
        report["event_type_f1"] = dict(zip(("weighted", "macro"), _f1(type_pairs), strict=True))
    if sub_pairs:
        report["sub_event_type_f1"] = dict(zip(("weighted", "macro"), _f1(sub_pairs), strict=True))
        report["sub_event_type_confusion"] = [
            {"gold": g, "pred": p, "n": n} for (g, p), n in Counter(sub_pairs).most_common(25) if g != p
        ]
    report["event_type_confusion"] = [{"gold": g, "pred": p, "n": n} for (g, p), n in confusion.most_common()]
    if distances:
        report["distance_km"] = {
            "n": len(distances),
            "median": statistics.median(distances),
            "within_25km": sum(d <= 25 for d in distances) / len(distances),
            "within_161km": sum(d <= 161 for d in distances) / len(distances),
            "gold_rows": gold_points,
            "within_25km_of_all": sum(d <= 25 for d in distances) / gold_points,
            "within_161km_of_all": sum(d <= 161 for d in distances) / gold_points,
        }
    return report


def render_report(report: dict[str, Any], console: Console) -> None:
    console.print(
        f"[bold]{report['file']}[/bold]  split={report['split']}  rows={report['rows']}  "
        f"no-event rate={report['no_event_rate']:.3f}"
    )
    if report.get("model"):
        console.print(f"with trained model: {report['model']}", markup=False, highlight=False)
    table = Table(title="per-field scores")
    table.add_column("field")
    table.add_column("score", justify="right")
    table.add_column("n", justify="right")
    for k, v in report["accuracy"].items():
        table.add_row(f"{k} accuracy", f"{v['value']:.3f}", str(v["n"]))
    for key in ("event_type_f1", "sub_event_type_f1"):
        if key in report:
            for kind, val in report[key].items():
                table.add_row(f"{key.removesuffix('_f1')} {kind} F1", f"{val:.3f}", "")
    if "distance_km" in report:
        d = report["distance_km"]
        table.add_row("distance median km", f"{d['median']:.1f}", str(d["n"]))
        table.add_row("share within 25 km", f"{d['within_25km']:.3f}", "")
        table.add_row("share within 161 km", f"{d['within_161km']:.3f}", "")
        table.add_row(
            "share of all gold points within 25 km", f"{d['within_25km_of_all']:.3f}", str(d["gold_rows"])
        )
        table.add_row("share of all gold points within 161 km", f"{d['within_161km_of_all']:.3f}", "")
    console.print(table)
    conf = Table(title="event type confusion (gold -> predicted)")
    for col in ("gold", "predicted", "n"):
        conf.add_column(col)
    for c in report["event_type_confusion"]:
        conf.add_row(c["gold"], c["pred"], str(c["n"]))
    console.print(conf)
