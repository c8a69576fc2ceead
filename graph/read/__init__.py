"""The read side: answering questions from a finished build (never from the documents).

Everything in ``graph/`` outside this folder *builds* (resolve, facts, projections); the modules
here only *read* a build folder: :mod:`.query` (query, show, stats) and :mod:`.sparql`.
"""
