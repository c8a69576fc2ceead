"""The installed package: site-packages gains `legco_kg` and nothing else."""
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_installs_one_top_level_package(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )
    (wheel,) = tmp_path.glob("legco_kg-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (top_level,) = [n for n in names if n.endswith(".dist-info/top_level.txt")]
        assert archive.read(top_level).decode().split() == ["legco_kg"]
    tops = {name.split("/", 1)[0] for name in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"legco_kg"}
    # The client's folders are inside it, with their data files.
    for inside in ("legco_kg/graph/facts.py", "legco_kg/graph/read/query.py", "legco_kg/extractors/ner_model/meta.json",
                   "legco_kg/ontology/gazetteer.jsonl", "legco_kg/exports/templates/explorer.html"):
        assert inside in names
    assert any(n.startswith("legco_kg/corpus/") and n.endswith(".txt") for n in names)  # the embedded corpus
