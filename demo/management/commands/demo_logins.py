"""Print the address and the demo log-ins with their roles and scopes (Chinese and English)."""
from django.core.management.base import BaseCommand
from django.utils import translation

from core.roles import Role
from demo.region import build
from demo.setup import demo_password
from orgs.models import Staff

ROLE_EN = {Role.WINDOW_STAFF: "window staff", Role.DEPT_MANAGER: "department manager",
           Role.SUPERVISOR: "centre supervisor", Role.CENTRE_ADMIN: "centre administrator",
           Role.SYSTEM_ADMIN: "system administrator"}


def scope_text(staff):
    if staff.role == Role.SYSTEM_ADMIN:
        return "全部 / everything"
    if staff.centre_id:
        return f"{staff.centre.region.name}及下辖区域 / {staff.centre.region.code} and below"
    if staff.window_id:
        return f"{staff.department.name} · {staff.window.hall.name} {staff.window.name}"
    if staff.department_id:
        return f"{staff.department.name}"
    return "—"


class Command(BaseCommand):
    help = "Print the demo address and log-ins."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="the address the site runs at")

    def handle(self, *args, url, **options):
        url = url.rstrip("/") + "/"
        logins = build()["logins"]
        staff = Staff.objects.select_related("centre__region", "department", "window__hall").in_bulk(
            [code for _, code, _ in logins], field_name="code")
        out = self.stdout.write
        out("ClearWindow 行政效能电子监察系统 — 演示 / demo (锡林郭勒盟 Xilingol League)")
        out(f"  地址 / address:   {url}")
        out(f"  登录 / log in:    {url}accounts/login/")
        out(f"  密码 / password:  {demo_password()}  (all demo users / 所有演示用户)")
        out("")
        with translation.override("zh-hans"):
            for username, code, text in logins:
                member = staff.get(code)
                role = f"{Role(member.role).label} / {ROLE_EN[member.role]}" if member else "—"
                scope = scope_text(member) if member else "—"
                out(f"  {username:<18} {role}")
                out(f"  {'':<18} 范围 / scope: {scope}")
