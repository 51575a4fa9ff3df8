"""The PySide6 GUI: a thin layer over the genebank services."""
