"""Use cases, one module each. Functions take a Session (keyword-only) and return plain data;
the caller owns the transaction (``with database.session_factory.begin() as session:``)."""
