"""SQLAlchemy tables, one module per aggregate. Importing this package registers them all."""

from app.models.base import metadata
from app.models.batch import ReleaseBatch
from app.models.calendar import CalendarCorrection
from app.models.correspondence import Correspondence, InboundMessage, NoticeTemplate
from app.models.department import Department
from app.models.document import Document, DocumentText
from app.models.event import RequestEvent
from app.models.operation import BulkOperation, OutboxMessage
from app.models.publication_review import PublicTextEdit, SuspicionReview
from app.models.report import ReportRollup, ReportRollupYear, ReportStaleMonth
from app.models.request import FoiRequest, ReferenceCounter, RequestExemption
from app.models.requester import Requester
from app.models.sign_in_throttle import SignInCounter
from app.models.user import ApiToken, RecoveryCode, User
from app.models.web_session import StoreItem

__all__ = [
    "ApiToken",
    "BulkOperation",
    "CalendarCorrection",
    "Correspondence",
    "Department",
    "Document",
    "DocumentText",
    "FoiRequest",
    "InboundMessage",
    "NoticeTemplate",
    "OutboxMessage",
    "PublicTextEdit",
    "RecoveryCode",
    "ReferenceCounter",
    "ReleaseBatch",
    "ReportRollup",
    "ReportRollupYear",
    "ReportStaleMonth",
    "RequestEvent",
    "RequestExemption",
    "Requester",
    "SignInCounter",
    "StoreItem",
    "SuspicionReview",
    "User",
    "metadata",
]
