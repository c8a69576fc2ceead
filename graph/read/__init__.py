"""The read side: answering questions from a finished build (never from the documents).

Everything in ``graph/`` outside this folder *builds* (resolve, facts, projections); the modules
here only *read* a build folder: :mod:`.query` (query, show, stats), :mod:`.sparql` (with
:mod:`.sparql_safety`, what a query may reach), :mod:`.validate` (SHACL) and :mod:`.publish`
(sending the build to a SPARQL server).
"""
