"""The names people read for the case vocabularies: case rules (registered with alerts.vocab in
CasesConfig.ready), step codes (the item version's own step names), channels, results, suspension kinds,
event types and event fields. Pages, exports and timelines use these; codes never reach people."""
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.templatetags.cw import join_list

SUBJECT = "case"  # the alert subject of a case (Alert.subject_type)

RULE_LABELS = {
    "ACCEPT_LATE": _("受理超时"), "DUE_SOON": _("即将到期"), "OVERDUE": _("超承诺时限"),
    "LEGAL_OVERDUE": _("超法定时限"), "STEP_OVERDUE": _("环节超时"), "NO_ACCEPTANCE": _("先办后受"),
    "STEP_OUT_OF_ORDER": _("环节顺序颠倒"), "STEP_SKIPPED": _("跳过必经环节"),
    "REPEATED_SUPPLEMENT": _("多次补正告知"), "SUSPENSION_AFTER_DUE": _("超期后暂停计时"),
    "FEE_OVER_STANDARD": _("超标准收费"), "FEE_UNLISTED": _("无依据收费"), "EXTENSION_INVALID": _("违规延期"),
    "SAME_HANDLER_APPROVAL": _("一人既承办又审批"), "BREACH_LIKELY": _("可能超期"),
}

# What each rule means, for the clerk who sees it raised on their case.
RULE_HELP = {
    "ACCEPT_LATE": _("收件后 5 个工作日内未作出受理、不予受理或补正告知的决定，已视为受理并开始计时"),
    "DUE_SOON": _("距承诺办结日不足预警天数，请抓紧办理"),
    "OVERDUE": _("已超过承诺办结日仍未办结"),
    "LEGAL_OVERDUE": _("已超过法定办结日仍未办结"),
    "STEP_OVERDUE": _("该环节超过环节时限仍未完成"),
    "NO_ACCEPTANCE": _("未受理即开始办理或办结（先办后受）"),
    "STEP_OUT_OF_ORDER": _("前一必经环节未完成即开始或完成后续环节"),
    "STEP_SKIPPED": _("办结时仍有必经环节未完成"),
    "REPEATED_SUPPLEMENT": _("多次要求补正材料，违反一次性告知制度"),
    "SUSPENSION_AFTER_DUE": _("超过承诺办结日后才暂停计时"),
    "FEE_OVER_STANDARD": _("收费金额超过该事项公布的收费标准"),
    "FEE_UNLISTED": _("收取了该事项未公布的费用"),
    "EXTENSION_INVALID": _("延期不符合规定（须经批准、不超过最长延期天数、只能延期一次、在承诺办结日前提出），未予计入"),
    "SAME_HANDLER_APPROVAL": _("同一工作人员既完成了承办环节又完成了审批环节，审批须由承办人以外的人员作出（不相容岗位分离）"),
    "BREACH_LIKELY": _("按同类办件的历史推算，本件超过承诺办结日的概率已达到设定的阈值，请抓紧办理"),
}


CHANNEL_LABELS = {"window": _("窗口"), "online": _("网上申报"), "mail": _("邮寄")}
SUSPEND_KIND_LABELS = {"special_procedure": _("特别程序（听证、招标、检验、鉴定、专家评审等）"), "other": _("其他")}
RESULT_LABELS = {"approved": _("准予（办结通过）"), "denied": _("不予（办结不通过）")}
SOURCE_LABELS = {"api": _("数据接口"), "workbench": _("网上办件"), "import": _("历史导入")}
# the data-quality notes the clock writes (CaseState.notes[].note)
NOTE_LABELS = {
    "after_end": _("办结后发生，未计入"), "already_accepted": _("已受理，重复的受理决定未计入"),
    "unknown_step": _("不是该事项的环节，未计入"), "step_start_after_completion": _("环节已完成后又开始，未计入"),
    "duplicate_step_start": _("环节重复开始，未计入"), "duplicate_step_completion": _("环节重复完成，未计入"),
    "unreadable_amount": _("金额无法识别，未计入"),
}

# What an event's data says, field by field, in the order the timeline shows it (the data dictionary
# at docs/data-dictionary.md lists the same fields).
EVENT_FIELDS = (
    ("item_code", _("事项")), ("channel", _("收件渠道")), ("step", _("环节")), ("opinion", _("意见")),
    ("reason", _("理由")), ("kind", _("类型")), ("days", _("工作日")), ("approved_by", _("批准人")),
    ("fee_code", _("收费项目")), ("amount", _("金额（元）")), ("result", _("结果")), ("staff", _("经办人")),
    ("window", _("窗口")),
)


def step_names(version):
    """{step code: step name} of an item version (the catalog's own names, e.g. 承办/审核/审批)."""
    return {s["code"]: s.get("name") or s["code"] for s in (version.steps if version else ())}


def fee_names(version):
    """{fee code: fee name} of an item version's fee standard."""
    return {f["code"]: f.get("name") or f["code"] for f in (version.fees if version else ())}


def event_names(version, datas):
    """{field: {code: name}} for the codes some events' data carry: item, steps, fees, channel, kinds,
    results, staff and windows (two queries, whatever the number of events)."""
    from orgs.models import Staff, Window

    codes = {key: {(d or {}).get(key) for d in datas} - {None} for key in ("staff", "window", "item_code")}
    return {
        # a case has one item: its `received` names it, by the version the case was projected with
        "item_code": {code: version.name for code in codes["item_code"]} if version else {},
        "step": step_names(version), "fee_code": fee_names(version), "channel": CHANNEL_LABELS,
        "kind": SUSPEND_KIND_LABELS, "result": RESULT_LABELS,
        "staff": dict(Staff.objects.filter(code__in=codes["staff"]).values_list("code", "name")),
        "window": dict(Window.objects.filter(code__in=codes["window"]).values_list("code", "name")),
    }


def event_parts(data, names):
    """[(label, value)] of what an event says, codes shown as names (the applicant is never shown)."""
    d = data or {}
    parts = [(label, names.get(key, {}).get(d[key], d[key]) if key != "fee_code" else
              names.get(key, {}).get(d[key], _("未列入收费标准的项目")))
             for key, label in EVENT_FIELDS if d.get(key) not in (None, "", [])]
    if d.get("materials"):
        parts.append((_("补正材料"), join_list(d["materials"])))
    return parts


def alert_step_labels(alerts):
    """The step names of some case alerts (registered with alerts.vocab): one query for their cases'
    item versions."""
    from .models import Case

    keys = {a.subject_key for a in alerts}
    steps = dict(Case.objects.filter(case_no__in=keys).values_list("case_no", "item_version__steps"))
    out = {}
    for a in alerts:
        names = {s["code"]: s.get("name") or s["code"] for s in steps.get(a.subject_key) or ()}
        if a.step in names:
            out[(a.subject_key, a.step)] = names[a.step]
    return out


# The Chinese templates of the details the clock and rules write on case alerts (cases/clock.py,
# cases/rules.py write the same text with f-strings on the ingest path); registered with alerts.vocab so a
# detail is shown in the reader's language. More specific first. A test raises each for real and checks
# that the English page shows it in English.
DETAIL_TEMPLATES = (
    gettext_noop("承诺办结日 %(due)s 今日到期"),
    gettext_noop("距承诺办结日 %(due)s 还剩 1 个工作日"),   # English has a singular
    gettext_noop("距承诺办结日 %(due)s 还剩 %(days)s 个工作日"),
    gettext_noop("已超过承诺办结日 %(due)s"),
    gettext_noop("已超过法定办结日 %(due)s"),
    gettext_noop("至 %(day)s 仍未作出受理决定，视为受理"),
    gettext_noop("环节 %(step)s 应于 %(due)s 前完成"),
    gettext_noop("受理（收件）前已办理（先办后受）"),
    gettext_noop("第 %(n)s 次要求补正材料（违反一次性告知）"),
    gettext_noop("未受理即办结（先办后受）"),
    gettext_noop("必经环节未完成：%(step_list)s"),
    gettext_noop("环节 %(step)s 在受理前开始（先办后受）"),
    gettext_noop("环节 %(step)s 在受理前完成（先办后受）"),
    gettext_noop("环节 %(step)s 在 %(step_list)s 完成前开始"),
    gettext_noop("环节 %(step)s 在 %(step_list)s 完成前完成"),
    gettext_noop("%(staff)s 既完成了承办环节 %(handle)s，又完成了审批环节 %(approve)s"),
    gettext_noop("%(day)s 暂停计时，已晚于承诺办结日 %(due)s"),
    gettext_noop("收取未列入该事项收费标准的费用 %(amount)s 元"),
    gettext_noop("收取了未列入该事项收费标准的费用"),
    gettext_noop("该项费用收取 %(amount)s 元，超过标准上限 %(limit)s 元"),
    gettext_noop("%(fee)s收取 %(amount)s 元，超过标准上限 %(limit)s 元"),
    gettext_noop("办理时限尚未起算，无法延期"),
    gettext_noop("延期未注明批准人"),
    gettext_noop("延期天数须为 1 至 %(max)s 个工作日，实际为 %(days)s"),
    gettext_noop("该办件已延期一次"),
    gettext_noop("%(day)s 申请延期，已晚于承诺办结日 %(due)s"),
)

# Details stored before their wording changed, read as their present wording in both languages (the
# stored text is kept: it meant the same). Before 2026-12-05 the clock wrote "还剩 0 个工作日" on the due date.
DETAIL_ALIASES = {"距承诺办结日 %(due)s 还剩 0 个工作日": "承诺办结日 %(due)s 今日到期"}
