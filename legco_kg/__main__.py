"""``python -m legco_kg``: the ``legco-kg`` command."""
from legco_kg.cli import main

main(prog_name="legco-kg")
