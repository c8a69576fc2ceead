"""The ``legco-kg`` command: thin click commands over the library."""
from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from legco_kg.errors import LegcoError

DEFAULT_OUT = Path("legco-kg-out")


def _path(ctx, param, value: str | None) -> Path | None:
    """A path option as given: empty is an error (Path('') would quietly mean the current folder)."""
    if value is None:
        return None
    if not value:
        raise click.ClickException(f"{param.opts[0]}: an empty path; give a folder or file name")
    return Path(value)


# Paths are checked by the library, not by click: a missing, unreadable or wrong-kind path gets
# the same one-line error (and --keep-going skip) as any other bad input.
PATH = click.Path(readable=False)


def out_option(command):
    return click.option(
        "--out", "out", type=PATH, callback=_path, default=str(DEFAULT_OUT),
        show_default=True, help="Folder of the build's outputs.",
    )(command)


def format_option(*formats: str):
    return click.option(
        "--format", "format_", type=click.Choice(formats), default=formats[0], show_default=True, help="Output format.",
    )


# The formats of legco_kg.output.FORMATS that write each command's answers, named here so --help needs no import
OUTPUT_FORMATS = ("table", "json", "csv")  # query, show, candidates
STATS_FORMATS = ("table", "json")


def reported(command):
    """Turn library errors into one line and a non-zero exit; never a traceback.

    An unexpected exception (a bug) is one line too, naming its type; set ``LEGCO_KG_DEBUG=1``
    to see the traceback.
    """

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except LegcoError as error:
            raise click.ClickException(" ".join(str(error).split())) from None
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
            if os.environ.get("LEGCO_KG_DEBUG"):
                raise
            reason = " ".join(str(error).split())  # one line, whatever the message holds
            raise click.ClickException(
                f"unexpected {type(error).__name__}: {reason} (a bug: please report it; LEGCO_KG_DEBUG=1 shows the traceback)"
            ) from None

    return wrapper


@click.group()
@click.version_option(package_name="legco-kg")
def main() -> None:
    """Knowledge graph of Hong Kong LegCo budget replies on innovation and technology."""


_built = False  # set once a build has committed: the process may end without freeing its heap


def command_line() -> None:
    """The ``legco-kg`` program: :func:`main`, and after a finished build an exit that skips
    freeing every object of the graph one by one (0.4 s at 16 times the embedded corpus). By
    then every file is written and synced, every thread and process joined, and the lock
    released; the output streams are flushed here (mypy ends the same way)."""
    try:
        main(prog_name="legco-kg")
    except SystemExit as done:
        if not _built:
            raise
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        if isinstance(done.code, str):
            print(done.code, file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _known_extractors(ctx, param, names: tuple[str, ...]) -> tuple[str, ...]:
    if names:
        from legco_kg.extractors import EXTRACTORS
        from legco_kg.registry import UnknownName

        for name in names:
            try:
                EXTRACTORS.check(name)
            except UnknownName as error:
                raise click.BadParameter(str(error)) from None
    return names


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(readable=False, path_type=Path))
@out_option
@click.option("--keep-going", is_flag=True, help="Skip unreadable files with a warning instead of failing.")
@click.option("--quiet", is_flag=True, help="No progress on stderr.")
@click.option(
    "--without", "without", multiple=True, metavar="EXTRACTOR", callback=_known_extractors,
    help="Leave out an extractor (repeatable), e.g. --without ner for rules only.",
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Extract in N processes (default: the number of cores); the output is the same for any N.")
@click.option("--no-cache", is_flag=True, help="Parse and extract every document and render every output again, and load the "
              "SPARQL store whole, ignoring what earlier builds left in the cache.")
@click.option(
    "--gazetteer", "gazetteers", multiple=True, type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
    help="Add or override entities from FILE, JSON Lines in the gazetteer's format (repeatable).",
)
@click.option("--watch", is_flag=True, help="After the build, stay and build again whenever a file of PATHS or a "
              "gazetteer changes (Ctrl-C ends); a failed build is reported and the last good one kept.")
@click.option("--every", type=click.FloatRange(min=0.05), default=0.5, show_default=True, metavar="SECONDS",
              help="With --watch: look for changes this often.")
@reported
def build(paths: tuple[Path, ...], out: Path, keep_going: bool, quiet: bool, without: tuple[str, ...],
          jobs: int | None, no_cache: bool, gazetteers: tuple[Path, ...], watch: bool, every: float) -> None:
    """Build the graph of PATHS (default: the embedded corpus): graph.ttl, graph.jsonld, graph.html,
    export.jsonl, graph.graphml, index.sqlite and the SPARQL store."""
    from legco_kg.build import build as build_

    progress = (lambda message: None) if quiet else (lambda message: click.echo(message, err=True))
    jobs = jobs or os.cpu_count() or 1
    global _built
    if watch:
        import signal

        from legco_kg.watch import watch as watch_

        watching = os.getpid()

        def stop(number, frame):
            if os.getpid() != watching:  # a forked worker its pool ends: as by default
                signal.signal(number, signal.SIG_DFL)
                os.kill(os.getpid(), number)
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)  # as Ctrl-C: what a service manager or `kill` sends
        click.echo(f"watching {', '.join(map(str, paths)) or 'the embedded corpus'} every {every:g}s (Ctrl-C ends)", err=True)
        try:
            watch_(list(paths) or None, out, report=lambda line: click.echo(line, err=True), every=every,
                   gazetteers=gazetteers, skip=without, cache=not no_cache, keep_going=keep_going,
                   progress=progress, jobs=jobs)
        except KeyboardInterrupt:  # a build under way has cleaned up as it unwound (its lock, its staging)
            click.echo(f"stopped watching; {out} holds the last good build", err=True)
            _built = True  # nothing is being written: end without freeing the heap object by object
        return
    result = build_(list(paths) or None, out, keep_going=keep_going, progress=progress, skip=without,
                    jobs=jobs, cache=not no_cache, gazetteers=gazetteers)
    _built = True
    if not quiet:
        click.echo(
            f"built {result.documents} documents, {result.replies} replies, {result.entities} entities, "
            f"{result.mentions} mentions in {result.seconds:.1f}s → {out}",
            err=True,
        )


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@format_option(*OUTPUT_FORMATS)
@click.option("--without-ner", is_flag=True, help="Leave out the NER's proposals.")
@click.option("--gazetteer", "gazetteers", multiple=True, type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Add or override entities from FILE, as in build (repeatable).")
@reported
def candidates(paths: tuple[Path, ...], format_: str, without_ner: bool, gazetteers: tuple[Path, ...]) -> None:
    """Every candidate name in PATHS (default: the embedded corpus), with its count, replies, an
    example sentence and its decision (gazetteer, short form, rule, rejected and why, unresolved)."""
    from legco_kg.build import default_corpus, parse_corpus
    from legco_kg.candidates import candidates as candidates_
    from legco_kg.ontology import user_gazetteers
    from legco_kg.output import render_candidates

    with user_gazetteers(gazetteers):
        documents, _ = parse_corpus(list(paths) or default_corpus())
        click.echo(render_candidates(candidates_(documents, with_ner=not without_ner), format_))


@main.command()
@click.option("--format", "format_", default="jsonl", show_default=True, help="Output format (see the README).")
@out_option
@reported
def export(format_: str, out: Path) -> None:
    """Print an export of the last build."""
    from legco_kg import exports

    from legco_kg.folder import BuildFolder

    path = BuildFolder(out).require(exports.get(format_).name)
    sys.stdout.buffer.write(path.read_bytes())


@main.command()
@click.option("--gold", "gold_path", type=click.Path(dir_okay=False, path_type=Path), help="Gold JSON file.")
@out_option
@click.option("--numbers", is_flag=True, help="Instead: classify every figure of the embedded corpus and list money no extractor claimed.")
@click.option("-v", "--verbose", is_flag=True, help="List every miss and false hit (with --numbers: every unclaimed figure).")
@reported
def evaluate(gold_path: Path | None, out: Path, numbers: bool, verbose: bool) -> None:
    """Score the last build's schemes, institutions, platforms and amounts against a gold set
    (entries keyed by 'reply', or by 'document' for papers)."""
    if numbers:
        from legco_kg.coverage import corpus_coverage, format_coverage

        click.echo(format_coverage(corpus_coverage(), verbose))
        return
    if gold_path is None:
        raise click.UsageError("give --gold PATH (a gold JSON file) or --numbers")
    from legco_kg.evaluate import evaluate_build

    click.echo(evaluate_build(gold_path, out, verbose))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(readable=False, path_type=Path))
@click.option(
    "--model", "model_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Where to save the model (default: the user data folder, ~/.local/share/legco-kg/ner_model); "
    "build with LEGCO_KG_NER_MODEL=DIR to use it.",
)
@click.option("--epochs", type=click.IntRange(1), default=None, help="Passes over the examples (default: 10).")
@click.option("--seed", type=int, default=None, help="Random seed (default: fixed, so runs repeat).")
@click.option("--invented-names", is_flag=True, help="Also train on each context with invented names.")
@click.option("--unknown-names", is_flag=True, help="Leave unlabelled name-like stretches unknown, not negative.")
@reported
def train(paths: tuple[Path, ...], model_dir: Path | None, epochs: int | None, seed: int | None,
          invented_names: bool, unknown_names: bool) -> None:
    """Train the NER on weak labels from the rules over PATHS (default: the embedded corpus)."""
    from legco_kg.extractors import ner
    from legco_kg.build import default_corpus, parse_corpus

    documents, _ = parse_corpus(list(paths) or default_corpus())
    target = model_dir or ner.user_model_dir()
    figures = ner.train(
        documents, target, epochs=epochs or ner.EPOCHS, seed=ner.SEED if seed is None else seed,
        log=lambda message: click.echo(message, err=True), invented_names=invented_names, unknown_names=unknown_names,
    )
    click.echo(
        f"trained on {figures['examples']} stretches with {figures['spans']} weak-labelled names; "
        f"final loss {figures['loss']:.1f} → {target}; build with {ner.MODEL_ENV}={target} to use it",
        err=True,
    )


@main.command()
@click.argument("text")
@out_option
@format_option(*OUTPUT_FORMATS)
@click.option("--limit", type=click.IntRange(0), default=20, show_default=True, help="At most this many results; 0 for all.")
@reported
def query(text: str, out: Path, format_: str, limit: int) -> None:
    """Ask the last build a question, in English or Chinese.

    \b
    Examples:
      legco-kg query "schemes mentioned with Cyberport"
      legco-kg query "與數碼港及科學園一同提及的計劃"
      legco-kg query "who asked about 人工智能"
      legco-kg query "replies about 數據中心"
      legco-kg query "amounts for 新型工業加速計劃 by year"
      legco-kg query "amounts for TVP in 2025-26"
      legco-kg query "questions by 陳振英"
      legco-kg query "bureaus replying about InnoHK"
      legco-kg query Cyberport
    """
    from legco_kg.graph.read.query import Index, run
    from legco_kg.output import limit_note, render

    answer = run(Index.load(out), text, limit)
    click.echo(render(answer, format_))
    note = limit_note(answer)
    if note:
        click.echo(note, err=True)


@main.command()
@click.argument("entity")
@out_option
@format_option(*OUTPUT_FORMATS)
@reported
def show(entity: str, out: Path, format_: str) -> None:
    """An entity's card: labels, kind, parent, counts and strongest neighbours."""
    from legco_kg.graph.read.query import Index, Question, card_answer
    from legco_kg.output import render_card

    click.echo(render_card(card_answer(Index.load(out), Question("card", entity))["card"], format_))


@main.command("html")
@click.argument("entity")
@click.option("--depth", type=click.IntRange(1, 4), default=1, show_default=True, help="How many steps from ENTITY.")
@click.option("--out", "target", type=PATH, callback=_path, default=None,
              help="The page to write (default: <build>/<entity id>.html).")
@click.option("--build", "build_dir", type=PATH, callback=_path, default=str(DEFAULT_OUT),
              show_default=True, help="Folder of the build to read.")
@reported
def html_view(entity: str, depth: int, target: Path | None, build_dir: Path) -> None:
    """Write an interactive page of ENTITY's neighbourhood (e.g. Cyberport, --depth 2)."""
    from legco_kg.exports.html import write_neighbourhood

    target, data = write_neighbourhood(build_dir, entity, depth, target)
    click.echo(f"{len(data['nodes'])} entities, {len(data['edges']['rows'])} links → {target}", err=True)


SPARQL_FORMATS = ("table", "json", "xml", "csv", "tsv", "turtle")  # graph.read.sparql.FORMATS
SPARQL_ENGINES = ("oxigraph", "rdflib")  # graph.read.sparql.ENGINES


@main.command()
@click.argument("query")
@out_option
@format_option(*SPARQL_FORMATS)
@click.option("--bind", "binds", multiple=True, metavar="NAME=VALUE",
              help="Bind a variable: a name or alias of an entity (its IRI), an IRI (<…> or http…), or a "
                   "\"quoted\" literal; passed to the engine, never spliced in.")
@click.option("--engine", type=click.Choice(SPARQL_ENGINES), default="oxigraph", show_default=True,
              help="oxigraph (the build's store) or rdflib (parses graph.ttl; the reference, slower).")
@click.option("--allow-service", is_flag=True,
              help="Let SERVICE clauses (and FROM with rdflib) reach other servers or files; refused by default.")
@reported
def sparql(query: str, out: Path, format_: str, binds: tuple[str, ...], engine: str, allow_service: bool) -> None:
    """Run a SPARQL query on the last build.

    QUERY is SPARQL text, a .rq file, or the name of a shipped query: schemes-with-cyberport,
    members-who-asked-about, amounts-per-scheme, replies-per-programme, institutions-under-bureau,
    source-of-amounts (ontology/queries/). SELECT and ASK results are written in the W3C formats
    (json, xml, csv, tsv); CONSTRUCT and DESCRIBE as turtle.
    """
    from legco_kg.graph.read import sparql as sparql_
    from legco_kg.graph.read.sparql_safety import check_bindings, check_query

    text = sparql_.load_query(query)
    check_query(text, engine, allow_service)
    bindings = sparql_.parse_bindings(binds, sparql_.index_resolver(out))
    check_bindings(bindings)
    for binding in bindings.values():
        if binding.note:
            click.echo(binding.note, err=True)
    written = sparql_.render(sparql_.run(engine, out, text, bindings), format_)
    sys.stdout.buffer.write(written if written.endswith(b"\n") else written + b"\n")
    sys.stdout.flush()


@main.command()
@out_option
@click.option("--endpoint", required=True, metavar="URL",
              help="The server's SPARQL 1.1 Graph Store URL, e.g. Oxigraph's http://127.0.0.1:7878/store.")
@click.option("--query-endpoint", metavar="URL", help="Its SPARQL query URL (default: Oxigraph's, …/query).")
@click.option("--update-endpoint", metavar="URL", help="Its SPARQL update URL (default: Oxigraph's, …/update).")
@click.option("--graph", "graph_iri", metavar="IRI", default=None, help="The named graph to replace "
              "(default: https://w3id.org/legco-kg/graph).")
@click.option("--user", metavar="USER", help="HTTP basic authentication user.")
@click.option("--password-env", metavar="VAR", help="Environment variable holding the password.")
@reported
def publish(out: Path, endpoint: str, query_endpoint: str | None, update_endpoint: str | None,
            graph_iri: str | None, user: str | None, password_env: str | None) -> None:
    """Send the last build to a SPARQL server, replacing one named graph, and check its size."""
    from legco_kg.graph.read.publish import GRAPH, Endpoints, publish as publish_

    endpoints = Endpoints.from_store(endpoint, query_endpoint, update_endpoint)
    result = publish_(out, endpoints, graph_iri or GRAPH, user, password_env)
    click.echo(f"published {result.triples} triples to <{result.graph}> at {endpoint}", err=True)


@main.command()
@out_option
@reported
def validate(out: Path) -> None:
    """Check the last build's graph.ttl against the SHACL shapes (ontology/shapes.ttl)."""
    from legco_kg.graph.read.validate import validate as validate_

    result = validate_(out)
    if not result.conforms:
        click.echo(result.report)
        raise LegcoError(f"{result.path}: does not conform to the SHACL shapes (violations above)")
    click.echo(f"{result.path} conforms to the SHACL shapes (shapes.ttl)")


@main.command()
@out_option
@format_option(*STATS_FORMATS)
@reported
def stats(out: Path, format_: str) -> None:
    """Counts by kind, replies per head and programme, top schemes and members."""
    from legco_kg.graph.read.query import Index, stats as stats_
    from legco_kg.output import render_stats

    click.echo(render_stats(stats_(Index.load(out)), format_))


if __name__ == "__main__":
    command_line()
