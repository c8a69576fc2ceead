"""The README's commands and examples are what the tool really does."""
import json
import re
import subprocess
from pathlib import Path

from helpers import records

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def block_after(marker: str) -> str:
    match = re.search(rf"<!-- {marker} -->\s*```\w*\n(.*?)```", README, re.S)
    assert match, marker
    return match.group(1).strip()


def test_two_setup_commands_install_and_run():
    build, test = block_after("build-command"), block_after("test-command")
    assert "venv" in build and build.endswith("legco-kg build")
    assert "'.[test]'" in test and "pytest" in test


def test_ci_runs_the_readme_test_command():
    printed = subprocess.run(
        ["awk", r"/<!-- test-command -->/{found=1; next} found && /^```/{if (inblock) exit; inblock=1; next} inblock{print}", "README.md"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert printed == block_after("test-command")
    assert "test-command" in (ROOT / ".ci" / "run").read_text()


def test_jsonl_example_reply_is_real(built):
    example = next(
        json.loads(line) for line in README.splitlines() if line.startswith('{"record":"reply"')
    )
    actual = next(r for r in records(built, "reply") if r["reply"] == example["reply"])
    assert actual == example


def test_jsonl_example_amount_is_real(built):
    example = next(json.loads(line) for line in README.splitlines() if line.startswith('{"record":"amount"'))
    actual = next(r for r in records(built, "amount") if (r["document"], r["start"]) == (example["document"], example["start"]))
    # Later versions add fields (fact, role); the ones the README shows keep their values.
    assert {key: actual.get(key) for key in example} == example
