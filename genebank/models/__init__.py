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
from genebank.models.collection_setting import CollectionSetting
from genebank.models.crop_rule import CropRule
from genebank.models.history import ChangeEntry, ChangeSet
from genebank.models.import_log import ImportLog
from genebank.models.import_mapping import ImportMapping
from genebank.models.institute import Institute
from genebank.models.regeneration import Regeneration, SafetyDuplicate
from genebank.models.seed_lot import LotFlag, LotTransaction, SeedLot
from genebank.models.seed_test import GerminationReplicate, GerminationTest, MoistureTest
from genebank.models.storage_location import StorageLocation
from genebank.models.taxon import Taxon
from genebank.models.training import (
    Attendance,
    Certificate,
    Course,
    Enrolment,
    Participant,
    Programme,
)
from genebank.models.user_account import UserAccount, UserRole

__all__ = [
    "Accession",
    "AccessionInstitute",
    "AccessionName",
    "AccessionOtherNumber",
    "AccessionRemark",
    "AccessionStorage",
    "Attendance",
    "Base",
    "Certificate",
    "ChangeEntry",
    "ChangeSet",
    "CollectionSetting",
    "Course",
    "CropRule",
    "Enrolment",
    "GerminationReplicate",
    "GerminationTest",
    "ImportLog",
    "ImportMapping",
    "Institute",
    "LotFlag",
    "LotTransaction",
    "MoistureTest",
    "Participant",
    "Programme",
    "Regeneration",
    "SafetyDuplicate",
    "SeedLot",
    "StorageLocation",
    "Taxon",
    "UserAccount",
    "UserRole",
]

# The change history's Session listeners: installed wherever the models are, so that no
# session writes a tracked row without its history (see genebank.history.capture).
import genebank.history.capture  # noqa: F401
