"""Use cases, one module each. Functions take a Session (keyword-only) and return plain data;
the caller owns the transaction (``with database.session_factory.begin() as session:``)."""

from genebank.services import text_fields as _text_fields  # noqa: F401  (the flush check)
