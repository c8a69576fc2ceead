from pathlib import Path

import pytest

from legco_kg.build import default_corpus

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def excerpt_path() -> Path:
    """Index rows ITIB005-007 and the replies ITIB005 (numbered) and ITIB006 (number missing)."""
    return DATA / "excerpt_itib005-007.txt"


@pytest.fixture()
def corpus(tmp_path, excerpt_path) -> Path:
    """A folder of two documents to rebuild: the excerpt and a short paper (``helpers.PAPER``)."""
    import shutil

    from helpers import PAPER

    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(excerpt_path, folder / excerpt_path.name)
    (folder / "paper.txt").write_text(PAPER, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def estimates_path() -> Path:
    from legco_kg.extractors.parse import parse_document

    for path in default_corpus():
        if parse_document(path).replies:
            return path
    raise AssertionError("the embedded corpus has no estimates-replies document")


@pytest.fixture(scope="session")
def estimates(estimates_path):
    from legco_kg.extractors.parse import parse_document

    return parse_document(estimates_path)


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """One build of the embedded corpus, shared by the tests that read its outputs."""
    from legco_kg.build import build

    out = tmp_path_factory.mktemp("out")
    build(None, out)
    return out
