"""What the suppliers API shows and takes. The names of issue 10 §11 are a contract: `id`,
`name`, `credit_code`, `legal_representative`, `goods`, `stage`, `code`, `payment_terms`,
`interview_notes`, `technical_meeting_notes`, `trading_reasons`; everything else is added
beside them, read-only."""

from decimal import Decimal

from rest_framework import serializers

from ..completeness import SupplierParts, missing_to_advance
from ..models import (
    Principle,
    ScoreResult,
    Source,
    Supplier,
    SupplierDocument,
    SupplierGoodsLine,
    SupplierPaymentTerms,
    SupplierScore,
    SupplierStep,
    SurveyFinding,
)
from ..models.documents import SURVEY_DOCUMENTS
from ..permissions import survey_department_codes
from ..services.documents import CONTRACT_KINDS
from ..services.register import LIMITS, NOTE_MAX
from ..services.stages import PAYMENT_TERMS_MAX, REASON_MAX
from ..services.survey import MAX_AMOUNT, MAX_GOODS_LINES
from ..services.survey import NOTE_MAX as SURVEY_NOTE_MAX

USER = {"slug_field": "username", "read_only": True}


class SupplierGoodsLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupplierGoodsLine
        fields = ["item", "expected_amount"]
        read_only_fields = fields


class SupplierDocumentSerializer(serializers.ModelSerializer):
    """One version of a document; every version is listed, the newest of each kind first."""

    uploaded_by = serializers.SlugRelatedField(**USER)

    class Meta:
        model = SupplierDocument
        fields = ["id", "kind", "version", "original_name", "content_type", "size", "signed_on", "uploaded_by",
                  "uploaded_at"]  # fmt: skip
        read_only_fields = fields


class SupplierScoreSerializer(serializers.ModelSerializer):
    scored_by = serializers.SlugRelatedField(**USER)

    class Meta:
        model = SupplierScore
        fields = ["principle", "result", "note", "scored_by", "scored_at"]
        read_only_fields = fields


class SupplierFindingSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    signed_by = serializers.SlugRelatedField(**USER)

    class Meta:
        model = SurveyFinding
        fields = ["department", "findings", "score", "signed_by", "signed_at"]
        read_only_fields = fields


class SupplierStepSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(**USER)

    class Meta:
        model = SupplierStep
        fields = ["action", "from_stage", "to_stage", "user", "at", "note"]
        read_only_fields = fields


class SupplierSerializer(serializers.ModelSerializer):
    """A supplier's file 供应商档案 (SUP-01 … SUP-07): its details, stage, survey, application,
    decision, contracts, code and timeline; `code` is null until the supplier is active."""

    # Read with `selectors.with_file` (a constant number of queries); the context's
    # `department_names` ({code: name}) spares a query per supplier for `missing`.

    registered_by = serializers.SlugRelatedField(**USER)
    application_submitted_by = serializers.SlugRelatedField(**USER)
    decided_by = serializers.SlugRelatedField(**USER)
    activated_by = serializers.SlugRelatedField(**USER)
    missing = serializers.SerializerMethodField(
        help_text="What the current stage still needs before the supplier can move on; empty when it may."
    )
    goods_lines = SupplierGoodsLineSerializer(many=True, read_only=True)
    documents = SupplierDocumentSerializer(many=True, read_only=True)
    scores = SupplierScoreSerializer(many=True, read_only=True)
    findings = SupplierFindingSerializer(many=True, read_only=True)
    steps = SupplierStepSerializer(many=True, read_only=True)

    class Meta:
        model = Supplier
        fields = [
            # The contract (issue 10 §11) …
            "id", "name", "credit_code", "legal_representative", "goods", "stage", "code", "payment_terms",
            "interview_notes", "technical_meeting_notes", "trading_reasons",
            # … and the rest of the file.
            "address", "contact_name", "contact_phone", "contact_email", "source", "source_note", "trading_policy",
            "registered_at", "registered_by", "previous", "missing", "application_submitted_at",
            "application_submitted_by", "decided_at", "decided_by", "decision_comment", "rejected_at",
            "rejected_reason", "rejected_from", "activated_at", "activated_by", "suspended_at", "suspension_reason",
            "goods_lines", "documents", "scores", "findings", "steps",
        ]  # fmt: skip
        read_only_fields = fields

    def get_missing(self, supplier) -> list[str]:
        names = self.context.get("department_names")
        return [str(line) for line in missing_to_advance(SupplierParts.of(supplier), names=names)]


class SupplierPaymentTermsSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupplierPaymentTerms
        fields = ["id", "code", "name", "payment_terms"]
        read_only_fields = fields


# --- request bodies ------------------------------------------------------------------------


def _text(field: str, **kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=LIMITS[field], **kwargs)


def _optional(field: str) -> serializers.CharField:
    return _text(field, required=False, allow_blank=True, default="")


class SupplierCreateSerializer(serializers.Serializer):
    name = _text("name")
    credit_code = _text("credit_code", help_text="统一社会信用代码: 18 characters with its check digit.")
    legal_representative = _text("legal_representative")
    goods = _text("goods")
    address = _optional("address")
    contact_name = _optional("contact_name")
    contact_phone = _optional("contact_phone")
    contact_email = serializers.EmailField(max_length=LIMITS["contact_email"], required=False, allow_blank=True,
                                           default="")  # fmt: skip
    source = serializers.ChoiceField(choices=Source.choices, required=False, default=Source.OTHER)
    source_note = _optional("source_note")


class SupplierGoodsLineInputSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=200)
    expected_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0.01"), max_value=MAX_AMOUNT,
        help_text="Expected amount per year in yuan (CNY).",
    )  # fmt: skip


def _note(**kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, **kwargs)


class SupplierUpdateSerializer(serializers.Serializer):
    """Fields not given are left as they are. The details change while the file is open; the
    survey notes belong to the candidate and general-survey stages, the application's fields
    (reasons, policy, goods lines) up to the on-site survey."""

    name = _text("name", required=False)
    credit_code = _text("credit_code", required=False)
    legal_representative = _text("legal_representative", required=False)
    goods = _text("goods", required=False)
    address = _text("address", required=False, allow_blank=True)
    contact_name = _text("contact_name", required=False, allow_blank=True)
    contact_phone = _text("contact_phone", required=False, allow_blank=True)
    contact_email = serializers.EmailField(max_length=LIMITS["contact_email"], required=False, allow_blank=True)
    source = serializers.ChoiceField(choices=Source.choices, required=False)
    source_note = _text("source_note", required=False, allow_blank=True)
    interview_notes = _note()
    technical_meeting_notes = _note()
    trading_reasons = _note()
    trading_policy = _note()
    goods_lines = SupplierGoodsLineInputSerializer(
        many=True, required=False, max_length=MAX_GOODS_LINES,
        help_text="The application's list of goods, replaced as a whole.",
    )  # fmt: skip


class SupplierNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=REASON_MAX, required=False, allow_blank=True, default="")


class SupplierReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX)


class SupplierDecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    comment = serializers.CharField(
        max_length=REASON_MAX, required=False, allow_blank=True, default="", help_text="Required to reject."
    )


class SupplierActivateSerializer(serializers.Serializer):
    payment_terms = serializers.CharField(max_length=PAYMENT_TERMS_MAX)


class SupplierDocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[str(kind) for kind in SURVEY_DOCUMENTS])
    file = serializers.FileField(help_text="PDF, image or Office file, checked by its content; size limited.")


class SupplierContractUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(CONTRACT_KINDS))
    signed_on = serializers.DateField(help_text="Both contracts are signed on the same day.")
    file = serializers.FileField(help_text="The scan of the signed contract (PDF or image).")


class SupplierScoreInputSerializer(serializers.Serializer):
    principle = serializers.IntegerField(min_value=1, max_value=len(Principle.values))
    result = serializers.ChoiceField(choices=ScoreResult.choices)
    note = serializers.CharField(max_length=SURVEY_NOTE_MAX)


class SupplierFindingInputSerializer(serializers.Serializer):
    department = serializers.ChoiceField(choices=[], help_text="Your own department's code; it signs for it.")
    findings = serializers.CharField(max_length=SURVEY_NOTE_MAX)
    score = serializers.IntegerField(min_value=1, max_value=5)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = survey_department_codes()
