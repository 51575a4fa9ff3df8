"""Genebank: the domain core (models, MCPD rules, services). Never imports Qt."""

__version__ = "0.1.0"
