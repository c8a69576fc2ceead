"""The ``legco-kg`` command: thin click commands over the library."""
from __future__ import annotations

import functools
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


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@out_option
@click.option("--keep-going", is_flag=True, help="Skip unreadable files with a warning instead of failing.")
@click.option("--quiet", is_flag=True, help="No progress on stderr.")
@reported
def build(paths: tuple[Path, ...], out: Path, keep_going: bool, quiet: bool) -> None:
    """Build graph.ttl, graph.html and export.jsonl from PATHS (default: the embedded corpus)."""
    from legco_kg.build import build as build_

    progress = (lambda message: None) if quiet else (lambda message: click.echo(message, err=True))
    result = build_(list(paths) or None, out, keep_going=keep_going, progress=progress)
    if not quiet:
        click.echo(
            f"built {result.documents} documents, {result.replies} replies, {result.entities} entities, "
            f"{result.mentions} mentions in {result.seconds:.1f}s → {out}",
            err=True,
        )


@main.command()
@click.option("--format", "format_", default="jsonl", show_default=True, help="Output format (see the README).")
@out_option
@reported
def export(format_: str, out: Path) -> None:
    """Print an export of the last build."""
    import exports

    exporter = exports.get(format_)
    path = out / exporter.filename
    if not path.is_file():
        raise LegcoError(f"{path}: no build here; run 'legco-kg build --out {out}' first")
    sys.stdout.buffer.write(path.read_bytes())


@main.command()
@click.option("--gold", "gold_path", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Gold JSON file.")
@out_option
@click.option("-v", "--verbose", is_flag=True, help="List every miss and false hit.")
@reported
def evaluate(gold_path: Path, out: Path, verbose: bool) -> None:
    """Score the last build's schemes, institutions and platforms against a gold set."""
    from extractors.names import is_generic
    from legco_kg.evaluate import evaluate as evaluate_, format_report, load_export, load_gold

    export_path = out / "export.jsonl"
    if not export_path.is_file():
        raise LegcoError(f"{export_path}: no build here; run 'legco-kg build --out {out}' first")
    gold = load_gold(gold_path)
    entities, mentioned = load_export(export_path)
    click.echo(format_report(evaluate_(gold, entities, mentioned, is_generic), verbose))


if __name__ == "__main__":
    main()
