"""The Apache Spark job: code JSONL or Parquet from any Hadoop-compatible path on a cluster.

    python -m conflictcoder.spark INPUT... --out PATH [--db URL] [--gazetteer FILE] [--master URL]

1. Records are read with Spark (`spark.read.text` for JSONL, gzip'd or not; `spark.read.parquet`),
   each keyed by its file and line (JSONL) or row (Parquet), counted from 1.
2. Partitions are coded in `mapPartitions` by the same per-article function as everywhere else
   (`Coder.code_many`), with one Coder per executor Python process, loaded on first use
   (`_coder()`); Spark's Python workers are reused, so it is loaded once per worker, not per task.
3. `OUT/articles` (Parquet): one row per record: source, line, article_id, the article and the coded
   article as JSON, or the error. `OUT/events` (Parquet): one row per event with the local batch's
   columns (`batch.columns`: the store's export columns); `OUT/errors` (JSON lines): the records that
   could not be read or coded.
4. With `--db`, the driver stores the coded articles in (source, line) order through the store's own
   ingest and merge (`store.ingest_articles`): one transaction per article, articles already stored
   skipped, so a re-run is safe.

A failed task is retried by Spark (set `spark.task.maxFailures`; in local mode, a master such as
`local[2,4]`). Coding is deterministic, each output is written in overwrite mode through Spark's commit
protocol (only one attempt of each task is committed), and events are rebuilt from the committed
articles keeping one row per (source, line), so a retried task leaves no duplicate.

Executors find the gazetteer index as `--gazetteer NAME`, a file shipped with `spark-submit --files`
(`SparkFiles.get(NAME)`), or in their own CONFLICTCODER_DATA_DIR otherwise.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from conflictcoder.batch.columns import event_rows, events_schema
from conflictcoder.errors import ConflictCoderError, IngestError
from conflictcoder.ingest.archives import RECORD_COLUMNS, plain_record
from conflictcoder.ingest.common import ArticleDefaults
from conflictcoder.ingest.records import parse_record
from conflictcoder.model import Article, CodedArticle

log = logging.getLogger(__name__)

#: A file whose absence makes the first coding task fail once (tests of Spark's task retry).
FAIL_ONCE_ENV = "CONFLICTCODER_SPARK_FAIL_ONCE"
GAZETTEER_ENV = "CONFLICTCODER_SPARK_GAZETTEER"
ARTICLES, EVENTS, ERRORS = "articles", "events", "errors"

_CODER: Any = None  # this Python worker's Coder, loaded by the first partition it codes


def _coder() -> Any:
    global _CODER
    if _CODER is None:
        from conflictcoder.pipeline import Coder
        from conflictcoder.settings import Settings

        settings = Settings()
        shipped = os.environ.get(GAZETTEER_ENV)
        if shipped:
            from pyspark import SparkFiles

            settings = Settings(data_dir=Path(SparkFiles.get(shipped)).parent)
        _CODER = Coder.load(settings)
    return _CODER


def _fail_once() -> None:
    flag = os.environ.get(FAIL_ONCE_ENV)
    if not flag:
        return
    try:
        os.close(os.open(flag, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return
    raise RuntimeError(f"injected task failure ({FAIL_ONCE_ENV}={flag})")


def local_path(uri: str) -> str:
    """`file:///data/a.jsonl` as `/data/a.jsonl` (as the local batch names sources); other URIs as given."""
    from urllib.parse import unquote, urlparse

    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


def _article(kind: str, source: str, line: int, payload: Any, defaults: ArticleDefaults) -> Article:
    if kind == "jsonl":
        try:
            obj = json.loads(payload)
        except json.JSONDecodeError as err:
            raise IngestError(source, f"invalid JSON: {err.msg} (column {err.colno})", line=line) from err
        return parse_record(source, obj, defaults, line=line)
    return parse_record(source, plain_record(payload), defaults, line=line)


def code_partition(
    records: Iterable[tuple[str, int, Any]], kind: str, defaults: dict[str, Any]
) -> Iterator[tuple[str, int, str | None, str | None, str | None, str | None]]:
    """(source, line, payload) records to (source, line, article_id, article JSON, coded JSON, error)."""
    _fail_once()
    meta = ArticleDefaults.model_validate(defaults)
    keys: list[tuple[str, int]] = []
    items: list[Article | IngestError] = []
    for source, line, payload in records:
        if kind == "jsonl" and not str(payload).strip():
            continue
        keys.append((source, line))
        try:
            items.append(_article(kind, source, line, payload, meta))
        except IngestError as err:
            items.append(err)
    if not items:
        return
    coder = _coder()
    for (source, line), item, result in zip(keys, items, coder.code_many(items), strict=True):
        if isinstance(result, IngestError):
            yield source, line, None, None, None, result.reason
        else:
            assert isinstance(item, Article)
            yield source, line, item.article_id, item.model_dump_json(), result.model_dump_json(), None


def _spark_schema(arrow_schema: Any) -> Any:
    """The Spark schema of a pyarrow schema of the types the event columns use."""
    import pyarrow as pa
    from pyspark.sql import types as T

    kinds = {
        pa.string(): T.StringType(),
        pa.int8(): T.ByteType(),
        pa.int16(): T.ShortType(),
        pa.int32(): T.IntegerType(),
        pa.int64(): T.LongType(),
        pa.float64(): T.DoubleType(),
        pa.date32(): T.DateType(),
    }
    return T.StructType([T.StructField(f.name, kinds[f.type], True) for f in arrow_schema])


def _event_tuples(coded_json: str) -> list[tuple[Any, ...]]:
    names = events_schema().names
    return [tuple(r[n] for n in names) for r in event_rows(CodedArticle.model_validate_json(coded_json))]


def input_kind(paths: Sequence[str], given: str = "auto") -> str:
    """ "jsonl" or "parquet": `given`, or by the inputs' names (a folder without an extension is JSONL
    unless `given` says parquet)."""
    if given != "auto":
        return given
    kinds = {"parquet" if p.rstrip("/").lower().endswith(".parquet") else "jsonl" for p in paths}
    if len(kinds) > 1:
        raise ConflictCoderError("give JSONL inputs or Parquet inputs, not both, in one run")
    return kinds.pop()


def read_records(spark: Any, paths: Sequence[str], kind: str) -> Any:
    """An RDD of (source, line, payload): a JSONL line's text, or a Parquet row's record fields.

    Lines (rows) are numbered within each file from Spark's own file metadata: a large file is read in
    several splits, possibly out of order, so each split's rows are counted and a file's splits are put
    in order of their offsets on the driver (one small number per split)."""
    from pyspark.sql import functions as F

    if kind == "jsonl":
        df = spark.read.text(list(paths))
        columns = ["value"]
    else:
        df = spark.read.parquet(*paths)
        columns = [c for c in RECORD_COLUMNS if c in df.columns]
        if "text" not in columns:
            raise ConflictCoderError(f"{', '.join(paths)}: no 'text' column in the Parquet input")
    df = df.select(
        F.col("_metadata.file_path").alias("_source"),
        F.col("_metadata.file_block_start").alias("_block"),
        *columns,
    )
    keyed = df.rdd.zipWithIndex().map(
        lambda r: (
            (r[0]["_source"], r[0]["_block"]),
            r[1],
            r[0]["value"] if kind == "jsonl" else {c: r[0][c] for c in columns},
        )
    )
    stats = keyed.map(lambda t: (t[0], (t[1], 1))).reduceByKey(lambda a, b: (min(a[0], b[0]), a[1] + b[1]))
    starts: dict[
        tuple[str, int], tuple[int, int]
    ] = {}  # split -> (its first index, rows of the file before it)
    before: dict[str, int] = {}
    for (source, block), (first, count) in sorted(stats.collect()):
        starts[(source, block)] = (first, before.get(source, 0))
        before[source] = before.get(source, 0) + count
    shared = spark.sparkContext.broadcast(starts)

    def numbered(t: tuple[tuple[str, int], int, Any]) -> tuple[str, int, Any]:
        first, rows_before = shared.value[t[0]]
        return local_path(t[0][0]), rows_before + t[1] - first + 1, t[2]

    return keyed.map(numbered)


def run_job(
    spark: Any,
    paths: Sequence[str],
    out: str,
    defaults: ArticleDefaults,
    db: str | None = None,
    kind: str = "auto",
) -> dict[str, int]:
    """Code `paths` into `out` (and the store at `db`); returns counts of articles, events and errors."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    kind = input_kind(paths, kind)
    meta = defaults.model_dump(mode="json")
    coded = read_records(spark, paths, kind).mapPartitions(lambda rows: code_partition(rows, kind, meta))
    article_schema = T.StructType(
        [
            T.StructField("source", T.StringType(), False),
            T.StructField("line", T.LongType(), False),
            T.StructField("article_id", T.StringType(), True),
            T.StructField("article", T.StringType(), True),
            T.StructField("coded", T.StringType(), True),
            T.StructField("error", T.StringType(), True),
        ]
    )
    spark.createDataFrame(coded, article_schema).write.mode("overwrite").parquet(f"{out}/{ARTICLES}")
    articles = spark.read.parquet(f"{out}/{ARTICLES}").dropDuplicates(["source", "line"])
    good = articles.where("error IS NULL")
    events = good.select("coded").rdd.flatMap(lambda r: _event_tuples(r["coded"]))
    spark.createDataFrame(events, _spark_schema(events_schema())).write.mode("overwrite").parquet(
        f"{out}/{EVENTS}"
    )
    errors = articles.where("error IS NOT NULL").select("source", "line", F.col("error").alias("reason"))
    errors.write.mode("overwrite").json(f"{out}/{ERRORS}")
    counts = {
        "articles": good.count(),
        "events": spark.read.parquet(f"{out}/{EVENTS}").count(),
        "errors": errors.count(),
    }
    for row in errors.orderBy("source", "line").toLocalIterator():
        print(f"error: {row['source']}:{row['line']}: {row['reason']}", file=sys.stderr)
    if db is not None:
        stored = store_coded(db, good.orderBy("source", "line").toLocalIterator())
        counts.update(stored)
    return counts


def store_coded(db: str, rows: Iterable[Any]) -> dict[str, int]:
    """Store coded articles (rows with `article` and `coded` JSON) in order, through the store's ingest."""
    from conflictcoder.batch.run import Precoded
    from conflictcoder.store import ingest_articles, open_store

    precoded = Precoded()

    def items() -> Iterator[Article]:
        for row in rows:
            coded = CodedArticle.model_validate_json(row["coded"])
            precoded.stash[coded.article.article_id] = coded
            yield Article.model_validate_json(row["article"])

    engine, make_session = open_store(db)
    try:
        summary = ingest_articles(make_session, precoded, items())
    finally:
        engine.dispose()
    return {"stored_new": summary.new + summary.new_versions, "stored_unchanged": summary.unchanged}


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m conflictcoder.spark`: parse the arguments, run the job, print the counts."""
    parser = argparse.ArgumentParser(prog="python -m conflictcoder.spark", description=__doc__.split("\n")[0])
    parser.add_argument("inputs", nargs="+", help="JSONL (.jsonl, .jsonl.gz) or Parquet files or folders")
    parser.add_argument("--out", required=True, help="Output folder (any Hadoop-compatible path)")
    parser.add_argument("--db", help="Also store into this database (e.g. postgresql://USER:PASS@HOST/DB)")
    parser.add_argument(
        "--format",
        choices=["auto", "jsonl", "parquet"],
        default="auto",
        help="Input format (default: by the names; a folder of Parquet files needs --format parquet)",
    )
    parser.add_argument("--gazetteer", help="Name of the gazetteer index shipped with spark-submit --files")
    parser.add_argument("--master", help="Spark master (default: spark-submit's, or local[*])")
    parser.add_argument(
        "--conf", action="append", default=[], metavar="KEY=VALUE", help="A Spark setting (repeatable)"
    )
    parser.add_argument("--published", help="Publication date YYYY-MM-DD for records that lack one")
    parser.add_argument("--url", help="Source URL for records that lack one")
    parser.add_argument("--outlet", help="Outlet name for records that lack one")
    args = parser.parse_args(argv)
    from datetime import date

    try:
        published = date.fromisoformat(args.published) if args.published else None
    except ValueError:
        parser.error(f"--published: expected YYYY-MM-DD, got {args.published!r}")
    if args.gazetteer:
        os.environ[GAZETTEER_ENV] = args.gazetteer  # inherited by the Python workers
    # local mode: the workers run this interpreter (with conflictcoder installed), not the first python3
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("conflictcoder")
    if args.master:
        builder = builder.master(args.master)
        if args.master.startswith("local"):  # one machine: keep the driver on the loopback interface
            builder = builder.config("spark.driver.bindAddress", "127.0.0.1").config(
                "spark.driver.host", "127.0.0.1"
            )
    for setting in args.conf:
        key, sep, value = setting.partition("=")
        if not sep:
            parser.error(f"--conf: expected KEY=VALUE, got {setting!r}")
        builder = builder.config(key, value)
    if args.gazetteer:
        builder = builder.config("spark.executorEnv." + GAZETTEER_ENV, args.gazetteer)
    spark = builder.getOrCreate()
    try:
        counts = run_job(
            spark,
            args.inputs,
            args.out,
            ArticleDefaults(published=published, url=args.url, outlet=args.outlet),
            args.db,
            args.format,
        )
    except ConflictCoderError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    finally:
        spark.stop()
    print(json.dumps(counts))
    return 1 if counts["errors"] else 0
