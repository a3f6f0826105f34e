"""One place that decides who sees what.

Every page, export and API endpoint filters through `scoped(queryset, who)` or fetches through
`get_visible(queryset, who, **lookup)`. A model says how it hangs off the organisation tree with a
class attribute `scope_paths`, e.g. ``{"region": "department__region", "department": "department",
"window": "window"}`` (each optional; "region" is a path to a Region, "" for a Region itself, whose materialised `path` is
used for subtree matching; a tuple of paths means "any of these", e.g. staff hang off a department
or a centre). Scopes:

- system administrator: everything;
- centre supervisor / administrator: the region subtree of their centre;
- department manager: their department;
- window staff: their window where the data has one, else their department;
- API client: its departments, or its region subtree;
- the public and anyone without a role: nothing (public pages use published data, not scopes).
"""
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Q
from django.http import Http404

from .roles import CENTRE_ROLES, PUBLIC, Role


@dataclass(frozen=True)
class Scope:
    role: str
    everything: bool = False
    region_path: str | None = None
    department_ids: frozenset = frozenset()
    window_ids: frozenset = frozenset()

    def q(self, model):
        """The Q filter that keeps only the rows of `model` inside this scope."""
        if self.everything:
            return Q()
        paths = getattr(model, "scope_paths", None)
        if paths is None:
            raise ImproperlyConfigured(f"{model.__name__} has no scope_paths")
        if self.region_path and "region" in paths:
            return _any(Q(**{_field(p, "path__startswith"): self.region_path}) for p in _paths(paths["region"]))
        if self.window_ids and "window" in paths:
            return Q(**{f"{paths['window']}__in": self.window_ids})
        if self.department_ids and "department" in paths:
            return Q(**{f"{paths['department']}__in": self.department_ids})
        return Q(pk__in=[])

    def covers(self, department_id, region_path):
        """Whether a row of this department, in the region of this materialised path, is in scope: the
        in-memory twin of q() for rows already read (window scopes cover no whole department)."""
        if self.everything:
            return True
        if self.region_path:
            return bool(region_path) and region_path.startswith(self.region_path)
        return department_id in self.department_ids

    @property
    def is_centre(self):
        return self.everything or self.role in CENTRE_ROLES


NOTHING = Scope(PUBLIC)


def _paths(value):
    """A scope path, or a tuple of them (a row is in scope if any of its paths is)."""
    return value if isinstance(value, tuple) else (value,)


def _any(qs):
    return reduce(or_, qs)


def _field(prefix, name):
    """'department__region' + 'path__startswith'; an empty prefix means the model itself."""
    return f"{prefix}__{name}" if prefix else name


def scope_of(who):
    """The scope of a user (via its orgs.Staff record), an API client, or None/anonymous."""
    if who is None:
        return NOTHING
    if hasattr(who, "scope"):  # an API client or anything that knows its own scope
        return who.scope()
    if not who.is_authenticated or not who.is_active:
        return NOTHING
    if who.is_superuser:
        return Scope(Role.SYSTEM_ADMIN, everything=True)
    staff = getattr(who, "staff", None)
    if staff is None or not staff.active:
        return NOTHING
    return staff.scope()


def scoped(queryset, who):
    return queryset.filter(scope_of(who).q(queryset.model))


def get_visible(queryset, who, **lookup):
    """The object matching `lookup` if `who` may see it; 404 otherwise (never reveals existence)."""
    obj = scoped(queryset, who).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


# -- who may open a page: one predicate per kind of page, used by the view (require) and by the menu
# (portal.context_processors.OFFICE_NAV), so a menu never offers what answers 403.
def is_office(who):
    """Anyone with a back-office role (window staff up to the system administrator)."""
    return scope_of(who).role != PUBLIC


def is_centre_user(who):
    """Supervision-centre staff and the system administrator."""
    return scope_of(who).is_centre


def is_centre_admin(who):
    """Centre administrators and the system administrator (who register devices and manage camera points)."""
    scope = scope_of(who)
    return scope.everything or scope.role in (Role.CENTRE_ADMIN, Role.SYSTEM_ADMIN)


def require(allowed, who):
    """PermissionDenied unless `allowed(who)`: the check a view makes first, as its menu entry does."""
    if not allowed(who):
        raise PermissionDenied


def require_office(who):
    """PermissionDenied unless `who` has a back-office role (is_office)."""
    require(is_office, who)


def require_centre(who):
    """PermissionDenied unless `who` is supervision-centre staff or the system administrator."""
    require(is_centre_user, who)
