"""Cases (办件) and their events.

`CaseEvent` is append-only and the truth; `Case` is the projection recomputed from its events by the
pure clock (cases.clock) whenever an event for it arrives, and by the sweeper when `next_check_at`
passes. Events from approval systems arrive through the exchange API (`ApiClient`), from the
workbench, or from `import_events` (historical).
"""
import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from catalog.models import Item, ItemVersion
from core.access import Scope
from core.crypto import EncryptedTextField, record_of, record_text
from orgs.models import Department, Region, Window


class EventType(models.TextChoices):
    RECEIVED = "received", _("收件")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("补齐补正告知")
    SUPPLEMENT_RECEIVED = "supplement_received", _("补正材料收到")
    ACCEPTED = "accepted", _("受理")
    REJECTED = "rejected", _("不予受理")
    STEP_STARTED = "step_started", _("环节开始")
    STEP_COMPLETED = "step_completed", _("环节完成")
    SUSPENDED = "suspended", _("暂停计时")
    RESUMED = "resumed", _("恢复计时")
    EXTENDED = "extended", _("延期")
    FEE_CHARGED = "fee_charged", _("收费")
    COMPLETED = "completed", _("办结")
    WITHDRAWN = "withdrawn", _("撤回")


class CaseStatus(models.TextChoices):
    INCOMPLETE = "incomplete", _("待收件")
    RECEIVED = "received", _("已收件")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("待补正")
    IN_PROGRESS = "in_progress", _("办理中")
    SUSPENDED = "suspended", _("暂停计时")
    COMPLETED = "completed", _("已办结")
    REJECTED = "rejected", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")


# A case is open from receipt until it ends (INCOMPLETE: not received yet, neither open nor ended).
OPEN_STATUSES = (CaseStatus.RECEIVED, CaseStatus.AWAITING_SUPPLEMENT, CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED)
ENDED_STATUSES = (CaseStatus.COMPLETED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN)


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


class ApiClient(models.Model):
    """An approval system allowed to send events. Only the SHA-256 of its key is stored."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("密钥前缀"), max_length=12, editable=False)
    departments = models.ManyToManyField(Department, blank=True, related_name="api_clients")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="api_clients")
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("接口客户端")

    def __str__(self):
        return self.name

    @classmethod
    def for_key(cls, key):
        """The active client whose key this is, or None."""
        return cls.objects.filter(key_hash=hash_key(key), active=True).select_related("region").first()

    def set_new_key(self):
        key = "cw_" + secrets.token_urlsafe(32)
        self.key_hash, self.key_prefix = hash_key(key), key[:11]
        return key

    def scope(self):
        if self.region_id:
            return Scope("api_client", region_path=self.region.path)
        return Scope("api_client", department_ids=frozenset(self.departments.values_list("pk", flat=True)))


# The references written with every event and every case row are not checked by the database
# (db_constraint=False). PostgreSQL checks a foreign key with a query per row and locks the row it
# points to (FOR KEY SHARE): at 1,000 events a batch that was an eighth of the database's work, and
# two batches of the same client contend for the lock on its one row. The rows they point to are
# never deleted while referenced: on_delete (PROTECT, SET_NULL) is carried out by the ORM either way,
# and no code deletes with raw SQL. The ids written come from rows read in the same transaction.
class CountedEvents(models.Manager):
    """The events that count for their case: all but those refused after they were stored."""

    def get_queryset(self):
        return super().get_queryset().filter(refusal="")


class CaseEvent(models.Model):
    """One event as received. `seq` (the primary key) is the arrival order used to break ties.

    `refusal` is empty for an event that counts. An event held before its case's `received` could not
    be checked against the case's department then; when the `received` arrives, a held event of a
    client whose scope does not cover that department is refused: the row stays (the table is
    append-only: nothing sent is lost) with the reason here, a RejectedEvent lists it for review, and
    it never counts again. `CaseEvent.objects` leaves such rows out; `CaseEvent.all_events` has them.
    """

    # Every event belongs to a client: an approval system, or the built-in "workbench" client.
    # no index of its own: the unique (client, event_id) index leads with it. No database constraint
    # (HOT_PATH_REFERENCES below): the ORM's PROTECT still refuses to delete a client with events.
    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="events", db_index=False,
                               db_constraint=False)
    source = models.CharField(max_length=12, default="api")  # api / workbench / import
    event_id = models.CharField(max_length=100)
    case_no = models.CharField(max_length=64)
    type = models.CharField(max_length=24, choices=EventType.choices)
    occurred_at = models.DateTimeField()
    arrived_at = models.DateTimeField()
    data = models.JSONField(default=dict)
    historical = models.BooleanField(default=False)
    # Arrived more than one working day after it occurred (data-quality watch); never for historical.
    late_arrival = models.BooleanField(default=False)
    # Why the event does not count ('' = it counts). The bulk writes leave it to the database default.
    refusal = models.TextField(blank=True, default="", db_default="")

    objects = CountedEvents()
    all_events = models.Manager()

    class Meta:
        verbose_name = verbose_name_plural = _("办件事件")
        base_manager_name = "all_events"
        constraints = [models.UniqueConstraint(fields=["client", "event_id"], name="event_once_per_client")]
        # serves: loading one case's events (ingest, replay, case page)
        indexes = [models.Index(fields=["case_no"])]

    def __str__(self):
        return f"{self.case_no} {self.type} {self.occurred_at:%Y-%m-%d %H:%M}"


class RejectedEvent(models.Model):
    """An event refused at input, kept whole for review: nothing sent is lost."""

    client = models.ForeignKey(ApiClient, null=True, blank=True, on_delete=models.SET_NULL)
    source = models.CharField(max_length=12, default="api")
    at = models.DateTimeField(auto_now_add=True)
    index = models.IntegerField()
    event_id = models.CharField(max_length=100, blank=True)
    payload = models.JSONField()
    error = models.TextField()

    class Meta:
        verbose_name = verbose_name_plural = _("被拒收事件")
        ordering = ["-at"]


class Case(models.Model):
    """The projection of a case's events (see cases.projection). Never edited by hand. Its references
    are not checked by the database: see the note above CaseEvent."""

    case_no = models.CharField(_("办件编号"), max_length=64, unique=True)
    item = models.ForeignKey(Item, null=True, on_delete=models.PROTECT, related_name="cases", db_constraint=False)
    # Indexes on this hot table are chosen (Meta.indexes): every one is written again by each
    # projection that moves next_check_at. Not indexed: item_version (versions are never deleted),
    # department (the (department, status) index leads with it), region's LIKE twin.
    item_version = models.ForeignKey(ItemVersion, null=True, on_delete=models.PROTECT, related_name="cases",
                                     db_index=False, db_constraint=False)
    department = models.ForeignKey(Department, null=True, on_delete=models.PROTECT, related_name="cases",
                                   db_index=False, db_constraint=False)
    region = models.ForeignKey(Region, null=True, on_delete=models.PROTECT, related_name="cases", db_index=False,
                               db_constraint=False)
    window = models.ForeignKey(Window, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases",
                               db_constraint=False)
    client = models.ForeignKey(ApiClient, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases",
                               db_index=False, db_constraint=False)
    status = models.CharField(_("状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.INCOMPLETE)
    received_at = models.DateTimeField(_("收件时间"), null=True)
    clock_start = models.DateField(_("起算日"), null=True)
    deemed_accepted = models.BooleanField(_("视为受理"), default=False)
    promised_due = models.DateField(_("承诺办结日"), null=True)
    legal_due = models.DateField(_("法定办结日"), null=True)
    suspended_days = models.IntegerField(default=0)
    extension_days = models.IntegerField(default=0)
    ended_at = models.DateTimeField(_("办结时间"), null=True)
    late = models.BooleanField(_("超期"), default=False)
    alert_level = models.CharField(_("告警级别"), max_length=10, blank=True, default="")
    next_check_at = models.DateTimeField(null=True)
    channel = models.CharField(max_length=10, blank=True)
    # The code the applicant gets with the case number to look up progress on the portal.
    check_code = models.CharField(max_length=12, blank=True)
    quality_notes = models.JSONField(default=list)
    # Data-quality counters kept by the projection: events that arrived late, events the clock ignored.
    late_events = models.IntegerField(default=0)
    ignored_events = models.IntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    scope_paths = {"region": "region", "department": "department", "window": "window"}

    class Meta:
        indexes = [
            # serves: the sweeper — cases whose next time-rule instant has passed
            models.Index(fields=["next_check_at"], name="case_next_check"),
            # serves: monitoring lists of a department by status
            models.Index(fields=["department", "status"]),
            # serves: case search and lists, newest receipt first (and date-range filters)
            models.Index(fields=["-received_at"], name="case_received_desc"),
            # serves: jurisdiction scoping by region
            models.Index(fields=["region"], name="case_region"),
            # serves: the data-quality page's cases held per sending client (a small partial index)
            models.Index(fields=["client"], condition=models.Q(status="incomplete"), name="case_incomplete_client"),
        ]
        verbose_name = _("办件")
        verbose_name_plural = pgettext_lazy("plural", "办件")

    def __str__(self):
        return self.case_no

    # The applicant (申请人) is kept in its own table, encrypted at rest (Applicant below).
    def _applicant(self):
        try:
            return self.applicant
        except Applicant.DoesNotExist:
            return None

    @property
    def applicant_name(self):
        return getattr(self._applicant(), "name", "")

    @property
    def applicant_id_number(self):
        return getattr(self._applicant(), "id_number", "")

    @property
    def applicant_phone(self):
        return getattr(self._applicant(), "phone", "")


class ImportRun(models.Model):
    """Progress of an import_events run over one byte range of a file (the whole file, or one
    worker's share), committed with each batch so an interrupted run resumes."""

    path = models.CharField(max_length=500)
    size = models.BigIntegerField()
    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT)
    start = models.BigIntegerField(default=0)  # the range's first byte, at a line start
    end = models.BigIntegerField(null=True)  # the byte after the range; None = the end of the file
    first_line = models.BigIntegerField(default=0)  # lines of the file before `start`
    offset = models.BigIntegerField(default=0)  # where to go on: the next line to read
    lines = models.BigIntegerField(default=0)  # lines of the range read so far
    accepted = models.BigIntegerField(default=0)
    duplicates = models.BigIntegerField(default=0)
    rejected = models.BigIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = verbose_name_plural = _("事件导入记录")


def _applicant_part(key):
    """Applicant.name / .id_number / .phone: one key of the applicant's identity, read and set."""
    def get(self):
        return self.record().get(key, "")

    def set(self, value):
        self.identity = record_text({**self.record(), key: value})
    return property(get, set)


class Applicant(models.Model):
    """Who applied for a case (申请人: name, ID number, phone), as the case's first stored `received` event
    gave them. Taken out of the event at ingest (cases.applicants) so that neither the events nor the
    ledger hold them; encrypted at rest (core.crypto, docs/personal-data.md) as one value, `identity`
    (one encryption per applicant, not three: ingest pays it for every received event), with a keyed
    hash of each part for exact look-ups (the workbench's search). No indexes on the hashes: every
    received event writes a row.

    name, id_number and phone read and set their part of `identity` (Applicant(case=…, name=…) works
    as a field would); its hashes are set on save, or by cases.applicants.rows for ingest."""

    case = models.OneToOneField(Case, to_field="case_no", db_column="case_no", on_delete=models.DO_NOTHING,
                                db_constraint=False, related_name="applicant")
    identity = EncryptedTextField(blank=True, record_hashes={
        "name_hash": ("name", "text"), "id_number_hash": ("id_number", "id_number"),
        "phone_hash": ("phone", "phone")})
    name_hash = models.CharField(max_length=64, blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)

    name, id_number, phone = map(_applicant_part, ("name", "id_number", "phone"))

    def record(self):
        """{name, id_number, phone: text} of the parts there are (decoded once per value of identity)."""
        if getattr(self, "_record", (None,))[0] != self.identity:
            self._record = (self.identity, record_of(self.identity))
        return self._record[1]

    # No scope_paths: it is never listed on its own, only through its case (scoped) and its access helpers.

    def __str__(self):
        return self.case_id

    class Meta:
        verbose_name = verbose_name_plural = _("申请人")
