"""Case numbers reserved for the workbench: `<region code>-<yyyymmdd>-W<sequence>`.

The workbench numbers its cases from a counter (core.numbering); an approval system may not write a
number of that form, so a number the workbench issues can belong to no one else's case.
"""
import re

CLIENT_NAME = "workbench"  # the built-in ApiClient the workbench reports through (cases.actions)
SOURCE = "workbench"       # the `source` of its events
WIDTH = 6                  # 152502-20261205-W000001: six digits, as the approval systems' own serials
RESERVED = re.compile(r"\d{6}-\d{8}-W")


def prefix(region_code, day):
    return f"{region_code}-{day:%Y%m%d}-W"


def is_reserved(case_no):
    return RESERVED.match(case_no) is not None


def may_write_reserved(client, source):
    """Only the workbench itself: its client, through the workbench's own path (never over the API,
    even for a client someone named `workbench`)."""
    return source == SOURCE and client.name == CLIENT_NAME
