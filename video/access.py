"""Who may see and do what in video supervision. Called by the pages (video/views.py) and the API
(video/api.py) alike.

Video supervision is a centre function: cameras, their recordings and evidence clips are for centre roles
in their region (the pages answer 403 to anyone else; the models' scope gives the rest nothing, so the API
answers 404); camera points are managed by centre administrators. Department roles see the observations
about their windows and answer the rectification orders; the centre records, orders and closes them.
"""
from django.core.exceptions import PermissionDenied

from core.access import get_visible, is_centre_admin, is_centre_user, require_centre, scoped

from .models import Camera, EvidenceClip, Observation

ANSWER, ORDER, CLOSE = "answer", "order", "close"


def cameras_for(who, queryset=None):
    """The cameras `who` sees: a centre's region subtree (nothing for department roles)."""
    return scoped(Camera.objects.select_related("hall", "hall__region") if queryset is None else queryset, who)


def visible_camera(who, code):
    """The camera `code` if `who` sees it, else 404."""
    return get_visible(cameras_for(who), who, code=code)


def centre_camera(who, code):
    """A camera for its pages (live view, playback, sealing, observing): PermissionDenied unless `who` is
    centre staff, 404 outside their region."""
    require_centre(who)
    return visible_camera(who, code)


def visible_clip(who, pk):
    """An evidence clip: centre staff of its region (PermissionDenied for others, 404 outside the region)."""
    require_centre(who)
    return get_visible(EvidenceClip.objects.select_related("camera", "camera__hall"), who, pk=pk)


def may_manage_cameras(who):
    """Adding, editing, disabling and testing camera points: centre administrators."""
    return is_centre_admin(who)


def managed_camera(who, code):
    """A camera point to manage: PermissionDenied unless may_manage_cameras, 404 outside the region."""
    if not may_manage_cameras(who):
        raise PermissionDenied
    return visible_camera(who, code)


def observations_for(who, queryset=None):
    """The observations `who` sees: a centre's region, a department's (or a window's) own."""
    return scoped(Observation.objects.all() if queryset is None else queryset, who)


def visible_observation(who, number, queryset=None):
    """The observation `number` if `who` sees it, else 404."""
    return get_visible(Observation.objects.all() if queryset is None else queryset, who, number=number)


def observation_actions(who, obs):
    """What `who`'s role lets them do to `obs` (the actions themselves check its status): the department
    answers a rectification order; the centre orders rectification and closes."""
    return {ORDER, CLOSE} if is_centre_user(who) else {ANSWER}


def require_observation_action(who, obs, action):
    """PermissionDenied unless `who` may take `action` on `obs`."""
    if action not in observation_actions(who, obs):
        raise PermissionDenied
