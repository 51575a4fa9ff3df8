"""Alembic migrations, shipped inside the package as ``genebank.migrations``."""
