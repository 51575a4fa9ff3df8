"""Figures about the collection as a whole."""
