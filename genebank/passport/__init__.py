"""Passport data (MCPD): accessions, their search, institutes, crops, the passport import and
its log, and accessions stored twice."""
