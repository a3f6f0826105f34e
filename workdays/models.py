"""The working-day calendar as data (DOMAIN.md, "Working days").

One CalendarDay row per day for every year loaded; days outside the table follow Monday–Friday.
Every change of the table is a CalendarRevision (who, when, why) and an audit entry (before, after).
Writes go through seed_calendar() and do_set_day(); load_calendar() gives the pure WorkCalendar.
"""
import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from core.audit import actor_name, record

from . import seed
from .arith import WorkCalendar


class DayKind(models.TextChoices):
    WORKDAY = "workday", _("工作日")
    WEEKEND = "weekend", _("休息日")
    HOLIDAY = "holiday", _("法定节假日")
    MAKEUP = "makeup", _("调休上班")


WORKING_KINDS = (DayKind.WORKDAY, DayKind.MAKEUP)


class Source(models.TextChoices):
    SEED = "seed", _("预置（chinese_calendar）")
    ADMIN = "admin", _("管理员录入")
    DEFAULT = "default", _("按周一至周五预填")


class CalendarRevision(models.Model):
    """One change of the calendar table: a seeding run or one administrator's edit."""

    token = models.UUIDField(_("修订标识"), default=uuid.uuid4, unique=True, editable=False)  # load_calendar's cache key
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              verbose_name=_("操作人"))
    actor_name = models.CharField(_("操作人名称"), max_length=150, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    reason = models.TextField(_("原因"), blank=True)
    changed = models.PositiveIntegerField(_("变更天数"), default=0)
    summary = models.JSONField(_("摘要"), default=dict, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("日历修订")
        verbose_name_plural = pgettext_lazy("plural", "日历修订")

    def __str__(self):
        return f"#{self.pk} {self.get_source_display()} {self.actor_name}"


class CalendarDay(models.Model):
    date = models.DateField(_("日期"), primary_key=True)
    is_workday = models.BooleanField(_("工作日"))
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("节日名称"), max_length=60, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.SEED)
    revision = models.ForeignKey(CalendarRevision, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="days", verbose_name=_("修订"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("日期")
        verbose_name_plural = _("逐日安排")

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}{' ' + self.name if self.name else ''}"

    def snapshot(self):
        return {"is_workday": self.is_workday, "kind": self.kind, "name": self.name, "source": self.source}


def check_day(is_workday, kind):
    """Errors ({field: message}) when kind contradicts is_workday."""
    if kind not in DayKind.values:
        return {"kind": _("未知的日期类型：%(kind)s") % {"kind": kind}}
    if bool(is_workday) != (kind in WORKING_KINDS):
        return {"kind": _("“%(kind)s”与“是否工作日”矛盾：工作日、调休上班为工作日；休息日、法定节假日不是。")
                % {"kind": DayKind(kind).label}}
    return {}


def infer_kind(day, is_workday, name=""):
    weekend = day.weekday() >= 5
    if is_workday:
        return DayKind.MAKEUP if weekend else DayKind.WORKDAY
    return DayKind.HOLIDAY if name or not weekend else DayKind.WEEKEND


def _actor_name(actor):
    return actor_name(actor)


def _new_revision(actor, source, reason, changed, summary):
    user = actor if getattr(actor, "pk", None) else None
    return CalendarRevision.objects.create(actor=user, actor_name=_actor_name(actor), source=source,
                                           reason=reason, changed=changed, summary=summary)


def do_set_day(day, is_workday, kind, name, actor, reason):
    """An administrator sets one day. The row becomes admin-owned: re-seeding never overwrites it.
    kind may be None (inferred from is_workday and the weekday). Returns the CalendarDay."""
    kind = kind or infer_kind(day, is_workday, name)
    errors = check_day(is_workday, kind)
    if not (reason or "").strip():
        errors["reason"] = _("请填写修改原因。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(pk=day).first()
        before = row.snapshot() if row else None
        after = {"is_workday": bool(is_workday), "kind": str(kind), "name": name or "", "source": Source.ADMIN}
        if before == after:
            return row
        revision = _new_revision(actor, Source.ADMIN, reason, 1,
                                 {"date": day.isoformat(), "before": before, "after": after})
        row, _created = CalendarDay.objects.update_or_create(date=day, defaults={**after, "revision": revision})
        record(actor, "calendar.set_day", "calendar_day", day.isoformat(), before=before, after=after,
               reason=reason)
    return row


def seed_calendar(years=None, actor="seed_calendar"):
    """Load the chinese_calendar schedule for `years` (default: every year it knows). Idempotent: creates
    missing days, corrects seeded and default days the package describes differently, never touches a day
    an administrator set. Returns {"created", "updated", "kept_admin", "revision"}."""
    years = list(years) if years is not None else seed.package_years()
    wanted = seed.seed_rows(years)
    existing = {row.date: row for row in CalendarDay.objects.filter(date__year__in=years)}
    create, update, kept = [], [], 0
    for day, (is_workday, kind, name) in wanted.items():
        row = existing.get(day)
        if row is None:
            create.append(CalendarDay(date=day, is_workday=is_workday, kind=kind, name=name, source=Source.SEED))
        elif row.source == Source.ADMIN:
            kept += 1
        elif (row.is_workday, row.kind, row.name, row.source) != (is_workday, kind, name, Source.SEED):
            row.is_workday, row.kind, row.name, row.source = is_workday, kind, name, Source.SEED
            update.append(row)
    result = {"created": len(create), "updated": len(update), "kept_admin": kept, "revision": None}
    if create or update:
        with transaction.atomic():
            result["revision"] = _write_seed(create, update, years, result, actor)
    return result


def _write_seed(create, update, years, counts, actor):
    summary = {"years": [years[0], years[-1]] if years else [],
               **{k: v for k, v in counts.items() if k != "revision"},
               "updated_days": [row.date.isoformat() for row in update][:200]}
    reason = f"chinese_calendar {seed.chinese_calendar.__version__}"
    revision = _new_revision(actor, Source.SEED, reason, len(create) + len(update), summary)
    for row in create + update:
        row.revision = revision
    CalendarDay.objects.bulk_create(create, batch_size=1000)
    CalendarDay.objects.bulk_update(update, ["is_workday", "kind", "name", "source", "revision"], batch_size=500)
    record(actor, "calendar.seed", "calendar_revision", revision.pk, after=summary, reason=reason)
    invalidate_calendar()
    return revision.pk


def do_open_year(year, actor, reason):
    """Fill the year's missing days with the Mon–Fri default (source `default`), so that an administrator
    only has to enter the holidays and make-up days. Re-seeding replaces default days once the package knows
    the year; days an administrator set stay. Returns how many days were created."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写修改原因。")})
    existing = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
    missing = [d for d in seed.days_of(year) if d not in existing]
    if not missing:
        return 0
    with transaction.atomic():
        summary = {"year": year, "created": len(missing)}
        revision = _new_revision(actor, Source.ADMIN, reason, len(missing), summary)
        CalendarDay.objects.bulk_create([
            CalendarDay(date=d, is_workday=d.weekday() < 5, kind=infer_kind(d, d.weekday() < 5),
                        source=Source.DEFAULT, revision=revision) for d in missing])
        record(actor, "calendar.open_year", "calendar_revision", revision.pk, after=summary, reason=reason)
        invalidate_calendar()
    return len(missing)


def incomplete_package_years():
    """The years the installed package knows that the table does not hold in full (a day missing, or
    only the Mon–Fri default of 录入新年度): what seed_after_migrate loads. One aggregate query."""
    years = seed.package_years()
    held = dict(CalendarDay.objects.filter(date__year__in=years).exclude(source=Source.DEFAULT)
                .annotate(year=ExtractYear("date")).order_by().values("year").annotate(n=Count("date"))
                .values_list("year", "n"))
    return [y for y in years if held.get(y, 0) < (date(y + 1, 1, 1) - date(y, 1, 1)).days]


def seed_after_migrate(using=DEFAULT_DB_ALIAS, apps=None, **_kwargs):
    """post_migrate: the official calendar is in place after `migrate` alone — on a fresh database every
    year the package knows, later (after a package upgrade) the years it learned since. Days an
    administrator set are kept (seed_calendar). Corrections of already complete years after a package
    upgrade stay with `manage.py seed_calendar`. Skipped unless the table has reached this model."""
    if using != DEFAULT_DB_ALIAS or apps is None:
        return
    try:
        state = apps.get_model("workdays", "CalendarDay")
        apps.get_model("core", "AuditEntry")  # the seeding is audited
    except LookupError:  # migrated back to before the calendar (or the audit ledger) existed
        return
    if ({f.name for f in state._meta.concrete_fields} != {f.name for f in CalendarDay._meta.concrete_fields}):
        return  # a partial migration: the table is not the model this code writes
    years = incomplete_package_years()
    if years:
        seed_calendar(years, actor="migrate")


def known_years():
    """The years that have at least one row in the calendar table, ascending."""
    return [d.year for d in CalendarDay.objects.dates("date", "year")]


def days_loaded(year):
    return CalendarDay.objects.filter(date__year=year).count()


_cached = (object(), None)  # (revision token, WorkCalendar): replaced whole, never mutated


def _current_key():
    """The latest revision's token: one indexed query, changes with every write of the table."""
    return CalendarRevision.objects.order_by("-id").values_list("token", flat=True).first()


def load_calendar():
    """The calendar table as a WorkCalendar, cached in-process until the table's revision changes."""
    global _cached
    key = _current_key()
    cached_key, calendar = _cached
    if cached_key == key and calendar is not None:
        return calendar
    calendar = WorkCalendar(dict(CalendarDay.objects.values_list("date", "is_workday")))
    _cached = (key, calendar)
    return calendar


def invalidate_calendar(**_kwargs):
    global _cached
    _cached = (object(), None)


# direct ORM writes (not through the functions above) still drop the cache in this process
post_save.connect(invalidate_calendar, sender=CalendarDay, dispatch_uid="workdays.invalidate.save")
post_delete.connect(invalidate_calendar, sender=CalendarDay, dispatch_uid="workdays.invalidate.delete")
