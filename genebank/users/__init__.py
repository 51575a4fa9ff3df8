"""Users, roles and rights: who may do what in a Genebank database (issue [4 of 7]).

``roles`` says which role holds which right, ``passwords`` hashes them (SQLite only: on
PostgreSQL the server checks passwords), ``accounts`` is the use cases an administrator and
a person signing in have, and ``actor`` is who a session works for and the one check every
service makes (``requires``). Qt-free, like the rest of :mod:`genebank`.
"""
