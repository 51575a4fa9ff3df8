"""What the services of every area share: refusals (errors, refusals), checked text
(text_fields, text_match) and bulk writes (bulk).

The use cases themselves live by area (``genebank.passport``, ``genebank.conservation``,
``genebank.training``, ``genebank.reporting``, the demo generators in ``genebank.demo``), one
module each. Functions take a Session (keyword-only) and return plain data; the caller owns
the transaction (``with database.session_factory.begin() as session:``)."""

from genebank.services import text_fields as _text_fields  # noqa: F401  (the flush check)
