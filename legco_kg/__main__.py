"""``python -m legco_kg``: the ``legco-kg`` command."""
from legco_kg.cli import command_line

if __name__ == "__main__":
    command_line()
