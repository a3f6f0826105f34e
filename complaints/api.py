"""Complaints and consultations over JSON: intake from an integration client (e.g. a 12345 platform,
`Authorization: Bearer <key>`), progress for that client, and the scoped list for staff sessions.
No response schema has a field for the complainant's identity: it never leaves through the API."""
from datetime import date

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import field_validator
from ninja.security import django_auth

from cases.models import ApiClient
from core.access import is_centre_user, scope_of, scoped
from core.api import ApiKey, ErrorReply
from orgs.models import Department, Region

from .actions import ComplaintError, ComplaintInput, DuplicateExternalId, do_submit_complaint, do_submit_consultation
from .models import Category, Channel, Complaint, Consultation, ConsultStatus
from .access import complaint_fields, is_department

router = Router(tags=["complaints"])


class TextIn(Schema):
    """Text the database can store: no NUL characters (PostgreSQL refuses them)."""

    @field_validator("*", mode="before")
    @classmethod
    def no_nul(cls, value):
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value


def _plain(text):
    return (text or "").replace("\x00", "")


class Complainant(TextIn):
    name: str = Field("", max_length=60)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=200)


class ComplaintIn(TextIn):
    external_id: str = Field(..., min_length=1, max_length=64, description="the sender's own id; resending it is safe")
    category: Category
    subject: str = Field(..., min_length=1, max_length=120)
    content: str = Field(..., min_length=5, max_length=5000)
    department_code: str | None = Field(None, description="the department complained about, if known")
    region_code: str | None = Field(None, description="where it happened; default the client's region")
    occurred_on: date | None = None
    place: str = Field("", max_length=120)
    anonymous: bool = False
    complainant: Complainant | None = None


class Receipt(Schema):
    number: str
    secret: str | None = Field(None, description="shown once; null when the external_id was already received")
    status: str
    register_due: date
    duplicate: bool


class ComplaintOut(Schema):
    """A complaint as its caller may see it: the fields access.complaint_fields gives the caller's role
    (a department gets neither the channel, the department complained about, nor the reply to the
    complainant); the others are left out of the object."""
    number: str
    channel: str | None = None
    category: str
    subject: str
    status: str
    department: str | None = None
    assignee: str | None
    handled_by_centre: bool
    submitted_at: str
    register_due: date
    due: date | None
    feedback: str | None = None
    satisfaction: str


class ConsultationIn(TextIn):
    question: str = Field(..., min_length=5, max_length=3000)
    department_code: str | None = None
    region_code: str | None = None


class ConsultationOut(Schema):
    number: str
    status: str
    due: date
    answer: str


class FaqOut(Schema):
    question: str
    answer: str
    department: str | None


def _place(client, department_code, region_code):
    """(region, department) for an API intake, inside the client's own scope; ComplaintError otherwise."""
    department = region = None
    if department_code:
        department = Department.objects.select_related("region").filter(code=department_code).first()
        if department is None:
            raise ComplaintError(f"department_code: no department {department_code!r}")
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            raise ComplaintError(f"region_code: no region {region_code!r}")
    region = region or (department.region if department else client.region)
    if region is None:
        raise ComplaintError("region_code: required for a client without a region")
    if not scoped(Region.objects.filter(pk=region.pk), client).exists() and not (
            department and scoped(Department.objects.filter(pk=department.pk), client).exists()):
        raise ComplaintError("region_code: outside this client's area")
    return region, department


def _out(c, fields):
    row = {"number": c.number, "channel": c.channel, "category": c.category, "subject": c.subject,
           "status": c.status, "department": c.department.name if c.department_id else None,
           "assignee": c.assignee.name if c.assignee_id else None, "handled_by_centre": c.handled_by_centre,
           "submitted_at": c.submitted_at.isoformat(), "register_due": c.register_due, "due": c.due,
           "feedback": c.feedback, "satisfaction": c.satisfaction}
    return {k: v for k, v in row.items() if k in fields}


@router.post("/complaints", auth=ApiKey(), response={201: Receipt, 200: Receipt, 400: ErrorReply},
             summary="Receive a complaint (e.g. from a 12345 platform)")
def post_complaint(request: HttpRequest, body: ComplaintIn):
    client = request.auth
    old = Complaint.objects.filter(api_client=client, external_id=body.external_id).first()
    if old is not None:
        return _duplicate(old)
    try:
        region, department = _place(client, body.department_code, body.region_code)
        who = body.complainant or Complainant()
        c, secret = do_submit_complaint(ComplaintInput(
            category=body.category, subject=body.subject, content=body.content, region=region, department=department,
            occurred_on=body.occurred_on, place=body.place, anonymous=body.anonymous or body.complainant is None,
            name=who.name, phone=who.phone, email=who.email, address=who.address,
        ), channel=Channel.API, actor=f"api:{client.name}", api_client=client, external_id=body.external_id)
    except DuplicateExternalId as dup:  # the same external_id sent twice at once
        return _duplicate(dup.complaint)
    except ComplaintError as err:
        return 400, {"error": str(err)}
    return 201, {"number": c.number, "secret": secret, "status": c.status, "register_due": c.register_due,
                 "duplicate": False}


def _duplicate(old):
    return 200, {"number": old.number, "secret": None, "status": old.status, "register_due": old.register_due,
                 "duplicate": True}


def _visible(request):
    qs = Complaint.objects.select_related("department", "assignee")
    if isinstance(request.auth, ApiClient):
        return qs.filter(api_client=request.auth)
    if not (is_centre_user(request.auth) or is_department(request.auth)):  # window staff: not their business
        return qs.none()
    return qs.filter(scope_of(request.auth).q(Complaint))


@router.get("/complaints/{path:number}", auth=[ApiKey(), django_auth], response={200: ComplaintOut, 404: ErrorReply},
            exclude_unset=True,
            summary="A complaint's progress (a client sees those it sent; staff their scope)")
def get_complaint(request: HttpRequest, number: str):
    c = _visible(request).filter(number=_plain(number)).first()
    if c is None:
        return 404, {"error": f"number: no complaint {number!r} visible here"}
    return 200, _out(c, complaint_fields(request.auth))


@router.get("/complaints", auth=[ApiKey(), django_auth], response=list[ComplaintOut], exclude_unset=True,
            summary="Complaints visible to the caller, newest first (at most 200)")
def list_complaints(request: HttpRequest, status: str | None = None):
    qs = _visible(request)
    if status:
        qs = qs.filter(status=_plain(status))
    fields = complaint_fields(request.auth)
    return [_out(c, fields) for c in qs[:200]]


@router.post("/consultations", auth=ApiKey(), response={201: Receipt, 400: ErrorReply},
             summary="Receive a consultation (a question to answer within 3 working days)")
def post_consultation(request: HttpRequest, body: ConsultationIn):
    try:
        region, department = _place(request.auth, body.department_code, body.region_code)
        q, secret = do_submit_consultation(question=body.question, region=region, department=department,
                                           channel=Channel.API, actor=f"api:{request.auth.name}",
                                           api_client=request.auth)
    except ComplaintError as err:
        return 400, {"error": str(err)}
    return 201, {"number": q.number, "secret": secret, "status": q.status, "register_due": q.due, "duplicate": False}


@router.get("/consultations/{path:number}", auth=ApiKey(), response={200: ConsultationOut, 404: ErrorReply})
def get_consultation(request: HttpRequest, number: str):
    q = Consultation.objects.filter(api_client=request.auth, number=_plain(number)).first()
    if q is None:
        return 404, {"error": f"number: no consultation {number!r} sent by this client"}
    return 200, {"number": q.number, "status": q.status, "due": q.due, "answer": q.answer}


@router.get("/faq", auth=None, response=list[FaqOut], summary="Published answers to common questions")
def faq(request: HttpRequest, q: str = ""):
    q = _plain(q)
    qs = Consultation.objects.filter(published=True, status=ConsultStatus.ANSWERED).select_related("department")
    if q:
        qs = qs.filter(Q(faq_question__icontains=q[:50]) | Q(answer__icontains=q[:50]))
    return [{"question": c.faq_question, "answer": c.answer,
             "department": c.department.name if c.department_id else None}
            for c in qs.order_by("-answered_at")[:100]]
