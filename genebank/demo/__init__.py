"""Demonstration data: a realistic invented collection and training programme, and its removal."""
