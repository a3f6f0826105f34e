"""Who and where: the centre responsible for a region, the active people of a department or centre
(the recipients of notifications)."""
from django.contrib.auth import get_user_model

from core.roles import CENTRE_ROLES, Role

from .models import Centre, Region


def centres_for(region_codes):
    """{region code: id of the centre responsible for it — its own, or the nearest one above}."""
    paths = dict(Region.objects.filter(code__in=set(region_codes)).values_list("code", "path"))
    centres = dict(Centre.objects.values_list("region_id", "pk"))
    return {code: next((centres[c] for c in reversed(path.strip("/").split("/")) if c in centres), None)
            for code, path in paths.items()}


def active_users(**staff_filter):
    """Active users whose staff record matches `staff_filter` (Staff field lookups)."""
    return list(get_user_model().objects.filter(is_active=True, **{f"staff__{k}": v for k, v in staff_filter.items()}))


def department_managers(department_id):
    return active_users(role=Role.DEPT_MANAGER, department_id=department_id, active=True)


def centre_staff(centre_id):
    return active_users(role__in=list(CENTRE_ROLES), centre_id=centre_id, active=True)
