"""SQLAlchemy models, one module per aggregate."""

from genebank.models.accession import (
    Accession,
    AccessionInstitute,
    AccessionName,
    AccessionOtherNumber,
    AccessionRemark,
    AccessionStorage,
)
from genebank.models.base import Base
from genebank.models.import_log import ImportLog
from genebank.models.institute import Institute
from genebank.models.taxon import Taxon

__all__ = [
    "Accession", "AccessionInstitute", "AccessionName", "AccessionOtherNumber",
    "AccessionRemark", "AccessionStorage", "Base", "ImportLog", "Institute", "Taxon",
]
