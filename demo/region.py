"""The demo region generator: a Xilingol-League-like organisation and power list, as plain data.

`build(seed)` returns a dict with
- "catalog": the import_catalog format of DOMAIN.md (regions, halls, departments, windows, items);
- "centres", "cameras", "staff", "logins": what demo_setup creates besides the catalog.
Deterministic for a seed; no Django import (so it can be dumped to JSON and tested on its own).
"""
import random

from . import data as d

EFFECTIVE_FROM = "2025-01-01"
DEMO_LOGINS = [
    # (user name, staff code (None: the first clerk of the League market bureau), description)
    ("admin", "SYS-ADMIN", "系统管理员 / system administrator"),
    ("league_admin", "C152500-A", "锡林郭勒盟监察中心管理员 / League centre administrator"),
    ("league_supervisor", "C152500-S", "锡林郭勒盟监察中心督查员 / League centre supervisor"),
    ("xlht_supervisor", "C152502-S", "锡林浩特市监察中心督查员 / Xilinhot centre supervisor"),
    ("dept_manager", "152500-SCJG-M", "盟市场监督管理局负责人 / League market regulation bureau head"),
    ("window_clerk", None, "盟市场监督管理局政务服务中心窗口工作人员 / window clerk"),
]


class _Builder:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        # The steps' responsible persons come from a stream of their own, so that naming them did not
        # shift everything else the seed makes.
        self.person_rng = random.Random(f"{seed}-responsible-person")
        self.regions, self.halls, self.departments, self.windows, self.items = [], [], [], [], []
        self.centres, self.cameras, self.staff = [], [], []
        self.region_name = {}
        self.dept_phone = {}

    # ---- regions and centres ------------------------------------------------------------
    def add_region(self, code, name, level, parent):
        self.regions.append({"code": code, "name": name, "level": level, "parent": parent})
        self.region_name[code] = name

    def build_regions(self):
        self.add_region(*d.LEAGUE, "league", None)
        for code, name, _seat, _slug in d.COUNTIES:
            self.add_region(code, name, "county", d.LEAGUE[0])
        for code, name, county in d.TOWNSHIPS:
            self.add_region(code, name, "township", county)
        for code, name, township in d.COMMUNITIES:
            self.add_region(code, name, "community", township)

    def build_centres(self):
        for code in [d.LEAGUE[0]] + [c[0] for c in d.COUNTIES]:
            self.centres.append({
                "code": f"C{code}", "name": f"{self.region_name[code]}行政效能电子监察监控中心",
                "region": code, "phone": self.phone("82"), "email": f"jkzx{code}@demo.invalid",
            })
        self.centre_phone = {c["region"]: c["phone"] for c in self.centres}

    def complaint_phone(self, region):
        while region not in self.centre_phone:  # townships and communities: their county's centre
            region = region[:6] if len(region) > 6 else d.LEAGUE[0]
        return self.centre_phone[region]

    # ---- halls, departments, windows ------------------------------------------------------
    def phone(self, prefix="8"):
        return f"0479-{prefix}{self.rng.randrange(10 ** (7 - len(prefix))):0{7 - len(prefix)}d}"

    def add_hall(self, code, name, kind, region, town):
        road = self.rng.choice(d.ROADS)
        self.halls.append({"code": code, "name": name, "kind": kind, "region": region,
                           "address": f"{town}{road}{self.rng.randrange(1, 200)}号", "phone": self.phone(),
                           "hours": d.HOURS})
        return code

    def add_department(self, code, name, region):
        self.departments.append({"code": code, "name": name, "region": region,
                                 "email": f"{code.lower()}@demo.invalid"})
        self.dept_phone[code] = self.phone()
        return code

    def add_window(self, hall, dept, label):
        n = sum(1 for w in self.windows if w["hall"] == hall) + 1
        code = f"{hall}-W{n:02d}"
        self.windows.append({"code": code, "name": f"{n:02d}号 {label}窗口", "hall": hall, "department": dept})
        return code

    def build_league(self):
        league, lname = d.LEAGUE
        seat = "锡林浩特市"
        main = self.add_hall(f"H{league}-01", f"{lname}政务服务中心", "centre_hall", league, seat)
        estate = self.add_hall(f"H{league}-02", f"{lname}政务服务中心不动产登记分厅", "sub_hall", league, seat)
        police = self.add_hall(f"H{league}-03", f"{lname}政务服务中心公安分厅", "sub_hall", league, seat)
        bidding = self.add_hall(f"H{league}-04", f"{lname}建设工程招投标办公室", "bidding_office", league, seat)
        procure = self.add_hall(f"H{league}-05", f"{lname}政府采购中心", "procurement", league, seat)
        places = {  # bureau key -> [(hall, window label)]
            "scjg": [(main, "市场监管企业登记"), (main, "市场监管食品药品许可")],
            "zrzy": [(estate, "不动产登记受理"), (estate, "不动产登记缴费发证"), (main, "自然资源规划")],
            "tax": [(estate, "不动产交易税费"), (main, "税务综合")],
            "gaj": [(police, "户政"), (police, "出入境"), (police, "车驾管")],
            "zjj": [(main, "住建综合"), (bidding, "房建市政招标备案")],
            "jtj": [(main, "交通运输"), (bidding, "交通工程招标备案")],
            "slj": [(main, "水利"), (bidding, "水利工程招标备案")],
            "czj": [(main, "财政"), (procure, "政府采购监管")],
            "zfcg": [(procure, "采购项目受理"), (procure, "采购合同备案")],
        }
        for key, (name, abbr, items) in d.BUREAUS.items():
            dname = d.TAX_NAME if key == "tax" else f"{lname}{name}"
            dept = self.add_department(f"{league}-{abbr}", dname, league)
            short = "政府采购中心" if key == "zfcg" else name
            for hall, label in places.get(key, [(main, short)]):
                self.add_window(hall, dept, label)
            self.add_items(dept, items)

    def build_utilities(self):
        for n, (abbr, name, region, items) in enumerate(d.UTILITIES, start=6):
            hall = self.add_hall(f"H{region}-{n:02d}", f"{name}营业厅", "public_service", region, "锡林浩特市")
            dept = self.add_department(f"{region}-{abbr}", name, region)
            self.add_window(hall, dept, "业务受理")
            if len(items) > 2:
                self.add_window(hall, dept, "业务咨询")
            self.add_items(dept, items)

    def build_counties(self):
        for code, name, seat, _slug in d.COUNTIES:
            hall = self.add_hall(f"H{code}-01", f"{name}政务服务中心", "centre_hall", code, seat)
            for key in d.BANNER_BUREAUS:
                bname, abbr, items = d.BUREAUS[key]
                dept = self.add_department(f"{code}-{abbr}", f"{name}{bname}", code)
                self.add_window(hall, dept, bname)
                if key == "scjg":
                    self.add_window(hall, dept, "市场监管食品许可")
                self.add_items(dept, [i for i in items if i[4]])

    def build_townships(self):
        community_of = {}
        for code, name, township in d.COMMUNITIES:
            community_of.setdefault(township, []).append((code, name))
        for code, name, _county in d.TOWNSHIPS:
            gov = f"{name}办事处" if name.endswith("街道") else f"{name}人民政府"
            dept = self.add_department(f"{code}-ZF", gov, code)
            kind_name = "便民服务中心" if name.endswith("街道") else "便民服务大厅"
            hall = self.add_hall(f"H{code}-01", f"{name}{kind_name}", "township_hall", code, name)
            self.add_window(hall, dept, "社会保障")
            self.add_window(hall, dept, "综合受理")
            for ccode, cname in community_of.get(code, []):
                chall = self.add_hall(f"H{ccode}-01", f"{cname}便民服务站", "community_hall", ccode, name)
                self.add_window(chall, dept, "综合服务")
            count = 2 + self.rng.randrange(3)
            self.add_items(dept, self.rng.sample(d.TOWNSHIP_ITEMS, count))

    # ---- items ----------------------------------------------------------------------------
    def add_items(self, dept, items):
        for n, spec in enumerate(items, start=1):
            self.items.append(self.item(f"{dept}-{n:03d}", dept, *spec[:4]))

    def item(self, code, dept, name, kind, law, legal):
        promised = self.promised(legal)
        steps = self.steps(promised, kind)
        window = next(w for w in self.windows if w["department"] == dept)
        hall = next(h for h in self.halls if h["code"] == window["hall"])
        region = next(x["region"] for x in self.departments if x["code"] == dept)
        item = {
            "code": code, "name": name, "department": dept, "kind": kind,
            "legal_basis": self.legal_basis(kind, law),
            "legal_limit_days": legal, "promised_limit_days": promised,
            "steps": steps, "fees": [
                {"code": c, "name": n, "max_amount": amount, "basis": basis}
                for c, n, amount, basis in d.FEES.get(name, [])
            ],
            "materials": self.materials(name, kind),
            "process": self.process(name, steps, promised),
            "free": not d.FEES.get(name),
            "result": d.RESULTS[kind],
            "location": f"{hall['name']} {window['name']}（{hall['address']}）",
            "consult_phone": self.dept_phone[dept],
            "complaint_phone": self.complaint_phone(region),
            "effective_from": EFFECTIVE_FROM,
        }
        if promised >= 15:
            item["warn_days"] = 3
        return item

    def promised(self, legal):
        if legal == 0 or self.rng.random() < 0.08:
            return 0
        return max(1, min(legal, round(legal * self.rng.uniform(0.3, 0.6))))

    def steps(self, promised, kind):
        """The intermediate steps (承办 → 审核 → 审批 …), all required, their limits within the promise
        (one day of it kept for delivering the result when the promise is 5 days or more). 即办件: none."""
        if promised == 0:
            return []
        patterns = d.STEP_PATTERNS if kind == d.K_LIC else d.STEP_PATTERNS[:d.PLAIN_PATTERNS]
        codes = self.rng.choice(patterns)
        steps = [
            {"code": c, "name": d.STEPS[c][0], "limit_days": limit, "responsible": d.STEPS[c][1],
             "duties": d.STEPS[c][2], "required": True, **({"kind": d.STEP_KINDS[c]} if c in d.STEP_KINDS else {})}
            for c, limit in zip(codes, step_limits(codes, promised - (1 if promised >= 5 else 0)))
        ]
        # Most guides name a responsible person for every step; about one in ten leaves its last step
        # without one, which guide completeness reports (docs/catalog.md).
        named = len(steps) - (self.person_rng.random() < d.UNNAMED_STEP_SHARE)
        for step in steps[:named]:
            step["responsible_person"] = self.step_person()
        return steps

    def step_person(self):
        rng = self.person_rng
        if rng.random() < 0.5:
            return rng.choice(d.SURNAMES) + rng.choice(d.HAN_GIVEN)
        return rng.choice(d.MONGOLIAN)  # Mongolian names are mostly used without a surname

    def legal_basis(self, kind, law):
        own = f"《{law}》第{chinese_number(self.rng.randrange(2, 60))}条"
        if kind != d.K_LIC:
            return own
        general = "、".join(f"第{chinese_number(a)}条" for a in self.rng.sample(d.LICENSING_ARTICLES, 2))
        return f"1.{own}；2.《{d.LICENSING_LAW}》{general}"

    def materials(self, name, kind):
        """A person's item asks for a person's papers (PERSONAL_MATERIALS); a business item for the
        generic ones of its kind, plus (licensing and filing only) up to two extras such as premises."""
        extra = self.rng.sample(d.EXTRA_MATERIALS, self.rng.randrange(3))  # drawn always: keeps the generator stable
        if name in d.PERSONAL_MATERIALS:
            return [{"name": n, "copies": c, "required": True} for n, c in d.PERSONAL_MATERIALS[name]]
        base = [{"name": n, "copies": c, "required": True} for n, c in d.MATERIALS[kind]]
        if kind not in (d.K_LIC, d.K_OTHER):
            extra = []
        return base + [{"name": n, "copies": 1, "required": not n.endswith("的）")} for n in extra]

    def process(self, name, steps, promised):
        phases = [d.ACCEPT_PHASE] + [(s["name"], s["responsible"], s["duties"]) for s in steps]
        lines = ["申请人通过窗口或网上政务服务平台提交申请材料"]
        lines += [f"{n}：{who}{duties}" for n, who, duties in phases[:1]]
        lines += [f"{s['name']}：{s['responsible']}{s['duties']}（{s['limit_days']}个工作日）" for s in steps]
        deliver = d.DELIVER_PHASE
        if steps:
            lines.append(f"{deliver[0]}：{deliver[1]}{deliver[2]}")
        lines.append("当场办结，办理结果当场送达或邮寄送达" if promised == 0 else f"{name}结果在承诺时限内送达申请人")
        return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1))

    # ---- cameras and staff ------------------------------------------------------------------
    def build_cameras(self):
        league = d.LEAGUE[0]
        plan = {f"H{league}-01": 6, f"H{league}-02": 2, f"H{league}-03": 2, f"H{league}-04": 2,
                f"H{league}-05": 2, f"H{league}-06": 1, "H152502-07": 1, "H152502-08": 1,
                "H152502001-01": 1, "H152502100-01": 1, "H152531100-01": 1, "H152502001001-01": 1}
        plan.update({f"H{code}-01": 1 for code, *_ in d.COUNTIES})
        names = {h["code"]: h["name"] for h in self.halls}
        for hall, count in plan.items():
            windows = [w["code"] for w in self.windows if w["hall"] == hall]
            chunks = [windows[i::count - 1] for i in range(count - 1)] if count > 1 else []
            for k in range(count):
                code = f"{hall}-C{k + 1:02d}"
                covered = [] if k == 0 else chunks[k - 1]
                label = "大厅全景" if k == 0 else f"窗口区{k}"
                self.cameras.append({"code": code, "name": f"{names[hall]}{label}", "hall": hall,
                                     "windows": covered, "stream_url": f"rtsp://127.0.0.1:8554/{code}",
                                     "retention_days": 30, "active": True})

    def person(self):
        if self.rng.random() < 0.5:
            return self.rng.choice(d.SURNAMES) + self.rng.choice(d.HAN_GIVEN)
        given = self.rng.choice(d.MONGOLIAN)
        return (self.rng.choice(d.MONGOLIAN_SURNAMES) + given) if self.rng.random() < 0.3 else given

    def add_staff(self, code, role, post, centre=None, department=None, window=None):
        self.staff.append({"code": code, "name": self.person(), "role": role, "post": post,
                           "centre": centre, "department": department, "window": window,
                           "phone": f"13{self.rng.randrange(10 ** 9):09d}"})

    def build_staff(self):
        self.add_staff("SYS-ADMIN", "system_admin", "系统管理员")
        for c in self.centres:
            self.add_staff(f"{c['code']}-A", "centre_admin", "中心管理员", centre=c["code"])
            self.add_staff(f"{c['code']}-S", "supervisor", "督查员", centre=c["code"])
        for dept in self.departments:
            self.add_staff(f"{dept['code']}-M", "dept_manager", d.MANAGER_POSTS, department=dept["code"])
        for w in self.windows:
            for n in range(1, 2 + (self.rng.random() < 0.4)):
                self.add_staff(f"{w['code']}-{n}", "window_staff", d.CLERK_POSTS,
                               department=w["department"], window=w["code"])


def step_limits(codes, budget):
    """Share `budget` working days among the steps: one day each while it lasts, the rest by weight."""
    n = len(codes)
    if budget < n:
        return [1 if i < budget else 0 for i in range(n)]
    weights = [d.STEPS[c][3] for c in codes]
    spare = budget - n
    limits = [1 + spare * w // sum(weights) for w in weights]
    for i in range(budget - sum(limits)):
        limits[i % n] += 1
    return limits


def chinese_number(n):
    """1..99 in Chinese numerals, as article numbers are written (第四十二条)."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    head = "" if tens == 1 else digits[tens]
    return head + "十" + (digits[ones] if ones else "")


def build(seed=2025):
    b = _Builder(seed)
    b.build_regions()
    b.build_centres()
    b.build_league()
    b.build_utilities()
    b.build_counties()
    b.build_townships()
    b.build_cameras()
    b.build_staff()
    catalog = {"regions": b.regions, "halls": b.halls, "departments": b.departments,
               "windows": b.windows, "items": b.items}
    return {"catalog": catalog, "centres": b.centres, "cameras": b.cameras,
            "staff": b.staff, "logins": [(u, code or _clerk(b.staff), text) for u, code, text in DEMO_LOGINS]}


def _clerk(staff):
    return next(s["code"] for s in staff if s["role"] == "window_staff" and s["department"] == "152500-SCJG")
