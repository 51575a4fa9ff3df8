"""Printable outputs: certificates (PDF)."""
