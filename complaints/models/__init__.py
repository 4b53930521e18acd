"""Complaints 投诉 (DOMAIN §7, CMP-01 … CMP-05) and satisfaction surveys 满意度调查 (§3, SUR-01 … SUR-03)."""

from .complaints import (
    Channel,
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintStatus,
    Escalation,
    ServiceStandard,
    Severity,
)
from .surveys import (
    Answer,
    Question,
    QuestionKind,
    Recipient,
    Survey,
    SurveyAudience,
    SurveyFollowUp,
    SurveyResponse,
    SurveyRound,
    SurveySettings,
)

__all__ = [
    "Answer", "Channel", "Complaint", "ComplaintCategory", "ComplaintEvent", "ComplaintStatus", "Escalation",
    "Question", "QuestionKind", "Recipient", "ServiceStandard", "Severity", "Survey", "SurveyAudience",
    "SurveyFollowUp", "SurveyResponse", "SurveyRound", "SurveySettings",
]  # fmt: skip
