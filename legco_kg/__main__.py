"""``python -m legco_kg``: the ``legco-kg`` command."""
from legco_kg.cli import main

if __name__ == "__main__":
    main(prog_name="legco-kg")
