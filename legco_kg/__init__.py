"""legco-kg: a knowledge graph of Hong Kong's LegCo budget replies on innovation and technology."""

__version__ = "0.1.0"
