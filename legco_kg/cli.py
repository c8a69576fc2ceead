"""The ``legco-kg`` command: thin click commands over the library."""
from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from legco_kg.errors import LegcoError

DEFAULT_OUT = Path("legco-kg-out")


def out_option(command):
    return click.option(
        "--out", "out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT,
        show_default=True, help="Folder of the build's outputs.",
    )(command)


def reported(command):
    """Turn library errors into one line and a non-zero exit; never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except LegcoError as error:
            raise click.ClickException(str(error)) from None

    return wrapper


@click.group()
@click.version_option(package_name="legco-kg")
def main() -> None:
    """Knowledge graph of Hong Kong LegCo budget replies on innovation and technology."""


def _known_extractors(ctx, param, names: tuple[str, ...]) -> tuple[str, ...]:
    if names:
        from legco_kg.extractors import get

        for name in names:
            try:
                get(name)
            except KeyError as error:
                raise click.BadParameter(error.args[0]) from None
    return names


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@out_option
@click.option("--keep-going", is_flag=True, help="Skip unreadable files with a warning instead of failing.")
@click.option("--quiet", is_flag=True, help="No progress on stderr.")
@click.option(
    "--without", "without", multiple=True, metavar="EXTRACTOR", callback=_known_extractors,
    help="Leave out an extractor (repeatable), e.g. --without ner for rules only.",
)
@click.option(
    "--gazetteer", "gazetteers", multiple=True, type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
    help="Add or override entities from FILE, JSON Lines in the gazetteer's format (repeatable).",
)
@reported
def build(paths: tuple[Path, ...], out: Path, keep_going: bool, quiet: bool, without: tuple[str, ...],
          gazetteers: tuple[Path, ...]) -> None:
    """Build the graph of PATHS (default: the embedded corpus): graph.ttl, graph.jsonld, graph.html,
    export.jsonl, graph.graphml, index.json and the SPARQL store."""
    from legco_kg.build import build as build_

    progress = (lambda message: None) if quiet else (lambda message: click.echo(message, err=True))
    result = build_(list(paths) or None, out, keep_going=keep_going, progress=progress, skip=without, gazetteers=gazetteers)
    if not quiet:
        click.echo(
            f"built {result.documents} documents, {result.replies} replies, {result.entities} entities, "
            f"{result.mentions} mentions in {result.seconds:.1f}s → {out}",
            err=True,
        )


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "format_", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="Output format.")
@click.option("--without-ner", is_flag=True, help="Leave out the NER's proposals.")
@click.option("--gazetteer", "gazetteers", multiple=True, type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Add or override entities from FILE, as in build (repeatable).")
@reported
def candidates(paths: tuple[Path, ...], format_: str, without_ner: bool, gazetteers: tuple[Path, ...]) -> None:
    """Every candidate name in PATHS (default: the embedded corpus), with its count, replies, an
    example sentence and its decision (gazetteer, short form, rule, rejected and why, unresolved)."""
    from legco_kg.build import default_corpus, parse_corpus
    from legco_kg.candidates import candidates as candidates_, render
    from legco_kg.ontology import user_gazetteers

    with user_gazetteers(gazetteers):
        documents, _ = parse_corpus(list(paths) or default_corpus())
        click.echo(render(candidates_(documents, with_ner=not without_ner), format_))


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
@click.option("--gold", "gold_path", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Gold JSON file.")
@out_option
@click.option("-v", "--verbose", is_flag=True, help="List every miss and false hit.")
@reported
def evaluate(gold_path: Path, out: Path, verbose: bool) -> None:
    """Score the last build's schemes, institutions, platforms and amounts against a gold set."""
    from legco_kg.extractors.names import is_generic
    from legco_kg.evaluate import evaluate as evaluate_, format_report, load_export, load_gold

    from legco_kg.folder import BuildFolder

    export_path = BuildFolder(out).require("jsonl")
    gold = load_gold(gold_path)
    click.echo(format_report(evaluate_(gold, load_export(export_path), is_generic), verbose))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--model", "model_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Where to save the model (default: the package's extractors/ner_model, which the build uses).",
)
@click.option("--epochs", type=click.IntRange(1), default=None, help="Passes over the examples (default: 10).")
@click.option("--seed", type=int, default=None, help="Random seed (default: fixed, so runs repeat).")
@reported
def train(paths: tuple[Path, ...], model_dir: Path | None, epochs: int | None, seed: int | None) -> None:
    """Train the NER on weak labels from the rules over PATHS (default: the embedded corpus)."""
    from legco_kg.extractors import ner
    from legco_kg.build import default_corpus, parse_corpus

    documents, _ = parse_corpus(list(paths) or default_corpus())
    target = model_dir or ner.MODEL_DIR
    figures = ner.train(
        documents, target, epochs=epochs or ner.EPOCHS, seed=ner.SEED if seed is None else seed,
        log=lambda message: click.echo(message, err=True),
    )
    click.echo(
        f"trained on {figures['examples']} stretches with {figures['spans']} weak-labelled names; "
        f"final loss {figures['loss']:.1f} → {target}",
        err=True,
    )


def format_option(*formats: str):
    return click.option(
        "--format", "format_", type=click.Choice(formats), default=formats[0], show_default=True, help="Output format.",
    )


@main.command()
@click.argument("text")
@out_option
@format_option("table", "json", "csv")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True, help="At most this many results.")
@reported
def query(text: str, out: Path, format_: str, limit: int) -> None:
    """Ask the last build a question, in English or Chinese.

    \b
    Examples:
      legco-kg query "schemes mentioned with Cyberport"
      legco-kg query "與數碼港一同提及的計劃"
      legco-kg query "who asked about 科技券"
      legco-kg query "amounts for 新型工業加速計劃"
      legco-kg query "questions by 陳振英"
      legco-kg query "bureaus replying about InnoHK"
      legco-kg query Cyberport
    """
    from legco_kg.graph.read.query import Index, run
    from legco_kg.output import render

    click.echo(render(run(Index.load(out), text, limit), format_))


@main.command()
@click.argument("entity")
@out_option
@format_option("table", "json")
@reported
def show(entity: str, out: Path, format_: str) -> None:
    """An entity's card: labels, kind, parent, counts and strongest neighbours."""
    from legco_kg.graph.read.query import Index, card
    from legco_kg.output import render_card

    index = Index.load(out)
    found = card(index, index.resolve(entity))
    click.echo(json.dumps(found, ensure_ascii=False, indent=1) if format_ == "json" else render_card(found, format_))


@main.command("html")
@click.argument("entity")
@click.option("--depth", type=click.IntRange(1, 4), default=1, show_default=True, help="How many steps from ENTITY.")
@click.option("--out", "target", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The page to write (default: <build>/<entity id>.html).")
@click.option("--build", "build_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="Folder of the build to read.")
@reported
def html_view(entity: str, depth: int, target: Path | None, build_dir: Path) -> None:
    """Write an interactive page of ENTITY's neighbourhood (e.g. Cyberport, --depth 2)."""
    import networkx as nx

    from legco_kg.exports.graphml import load
    from legco_kg.exports.html import render
    from legco_kg.graph.read.query import Index
    from legco_kg.folder import BuildFolder, write_atomically

    entity_id = Index.load(build_dir).resolve(entity)
    source = BuildFolder(build_dir).require("graphml")
    graph = load(source)
    around = nx.ego_graph(graph.to_undirected(as_view=True), entity_id, radius=depth)
    view = graph.subgraph(n for n in around if graph.nodes[n].get("kind") != "amount")
    label = graph.nodes[entity_id].get("label_zh", entity_id)
    page = render(None, view, title=f"{label} — legco-kg (depth {depth})")
    target = target or build_dir / f"{entity_id}.html"
    write_atomically(target.parent, {target.name: page})
    click.echo(f"{view.number_of_nodes()} nodes, {view.number_of_edges()} edges → {target}", err=True)


@main.command()
@click.argument("query")
@out_option
@format_option("table", "json", "csv")
@click.option("--bind", "binds", multiple=True, metavar="NAME=VALUE",
              help="Bind a variable: an IRI (<…> or http…) or a literal; passed to the engine, never spliced in.")
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True,
              help="oxigraph (the build's store) or rdflib (parses graph.ttl; the reference, slower).")
@reported
def sparql(query: str, out: Path, format_: str, binds: tuple[str, ...], engine: str) -> None:
    """Run a SPARQL query on the last build.

    QUERY is SPARQL text, a .rq file, or the name of a shipped query: schemes-with-cyberport,
    members-who-asked-about, amounts-per-scheme, replies-per-programme, institutions-under-bureau,
    source-of-amounts (ontology/queries/).
    """
    from legco_kg.graph.read import sparql as engine_

    text = engine_.load_query(query)
    bindings = engine_.parse_bindings(binds)
    if engine == "oxigraph":
        answer = engine_.run_oxigraph(engine_.open_store(out), text, bindings)
    else:
        answer = engine_.run_rdflib(engine_.load_rdflib(out), text, bindings)
    click.echo(engine_.render(answer, format_))


@main.command()
@out_option
@reported
def validate(out: Path) -> None:
    """Check the last build's graph.ttl against the SHACL shapes (ontology/shapes.ttl)."""
    from pyshacl import validate as shacl
    from rdflib import Graph

    from legco_kg.graph.read.sparql import load_rdflib
    from legco_kg.ontology import data_path

    shapes = Graph().parse(data_path("shapes.ttl"), format="turtle")
    conforms, _, text = shacl(load_rdflib(out), shacl_graph=shapes, inference="none")
    if not conforms:
        click.echo(text)
        raise LegcoError(f"{out / 'graph.ttl'}: does not conform to the SHACL shapes (violations above)")
    click.echo(f"{out / 'graph.ttl'} conforms to the SHACL shapes ({data_path('shapes.ttl').name})")


@main.command()
@out_option
@format_option("table", "json")
@reported
def stats(out: Path, format_: str) -> None:
    """Counts by kind, replies per head and programme, top schemes and members."""
    from legco_kg.graph.read.query import Index, stats as stats_
    from legco_kg.output import table

    figures = stats_(Index.load(out))
    if format_ == "json":
        click.echo(json.dumps(figures, ensure_ascii=False, indent=1))
        return
    click.echo(f"{figures['documents']} documents, {figures['replies']} replies, {figures['mentions']} mentions, {figures['amounts']} amounts\n")
    click.echo(table(["kind", "entities"], [[k, str(n)] for k, n in figures["entities_by_kind"].items()]) + "\n")
    click.echo(table(["head", "replies"], [[k, str(n)] for k, n in figures["replies_per_head"].items()]) + "\n")
    click.echo(table(["programme", "replies"], [[k, str(n)] for k, n in figures["replies_per_programme"].items()]) + "\n")
    click.echo(table(["scheme", "label_en", "replies"], [[s["label_zh"], s["label_en"] or "", str(s["replies"])] for s in figures["top_schemes"]]) + "\n")
    click.echo(table(["member", "questions"], [[m["member"], str(m["questions"])] for m in figures["top_members"]]))


if __name__ == "__main__":
    main()
