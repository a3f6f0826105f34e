"""Fixed tables the demo region is generated from (demo data: names of real places and laws,
article numbers, phone numbers, people and addresses are invented).

Regions: Xilingol League (锡林郭勒盟, GB/T 2260 code 152500) and its twelve county-level units with
their real codes; the townships and communities below them carry plausible 9- and 12-digit codes.
"""

LEAGUE = ("152500", "锡林郭勒盟")

# (code, name, seat town, slug used in demo user names)
COUNTIES = [
    ("152501", "二连浩特市", "格日勒敖都苏木", "elht"),
    ("152502", "锡林浩特市", "阿尔善宝拉格镇", "xlht"),
    ("152522", "阿巴嘎旗", "别力古台镇", "abg"),
    ("152523", "苏尼特左旗", "满都拉图镇", "sntzq"),
    ("152524", "苏尼特右旗", "赛汉塔拉镇", "sntyq"),
    ("152525", "东乌珠穆沁旗", "乌里雅斯太镇", "dwq"),
    ("152526", "西乌珠穆沁旗", "巴拉嘎尔高勒镇", "xwq"),
    ("152527", "太仆寺旗", "宝昌镇", "tpsq"),
    ("152528", "镶黄旗", "新宝拉格镇", "xhq"),
    ("152529", "正镶白旗", "明安图镇", "zxbq"),
    ("152530", "正蓝旗", "上都镇", "zlq"),
    ("152531", "多伦县", "多伦淖尔镇", "dlx"),
]

# (code, name, county code): one seat town per unit plus a few more in 锡林浩特市 and 多伦县.
TOWNSHIPS = [
    ("152501200", "格日勒敖都苏木", "152501"),
    ("152502001", "希日塔拉街道", "152502"),
    ("152502002", "楚古兰街道", "152502"),
    ("152502100", "阿尔善宝拉格镇", "152502"),
    ("152502200", "宝力根苏木", "152502"),
    ("152502201", "朝克乌拉苏木", "152502"),
    ("152522100", "别力古台镇", "152522"),
    ("152523100", "满都拉图镇", "152523"),
    ("152524100", "赛汉塔拉镇", "152524"),
    ("152525100", "乌里雅斯太镇", "152525"),
    ("152526100", "巴拉嘎尔高勒镇", "152526"),
    ("152527100", "宝昌镇", "152527"),
    ("152528100", "新宝拉格镇", "152528"),
    ("152529100", "明安图镇", "152529"),
    ("152530100", "上都镇", "152530"),
    ("152531100", "多伦淖尔镇", "152531"),
    ("152531101", "大北沟镇", "152531"),
]

# (code, name, township code)
COMMUNITIES = [
    ("152502001001", "希日塔拉社区", "152502001"),
    ("152502001002", "额尔敦社区", "152502001"),
    ("152502002001", "楚古兰社区", "152502002"),
    ("152502100201", "白音锡勒嘎查", "152502100"),
    ("152531100001", "汇宗社区", "152531100"),
    ("152531100002", "山西会馆社区", "152531100"),
]

# Legal basis helpers: the general law every licensing item cites, with its real articles
# (12: what may be licensed; 29: application; 32: acceptance; 42: the 20-day limit).
LICENSING_LAW = "中华人民共和国行政许可法"
LICENSING_ARTICLES = (12, 29, 32, 42)

K_LIC, K_CONF, K_PAY, K_OTHER, K_PUB, K_RULING, K_AWARD = (
    "licensing", "confirmation", "payment", "other", "public_service", "ruling", "award",
)

# A bureau: key -> (name without the region prefix, code suffix, items).
# An item: (name, kind, the law it rests on, legal limit in working days, also at banner level?).
# Banner-level copies exist only for bureaus listed in BANNER_BUREAUS.
BUREAUS = {
    "fgw": ("发展和改革委员会", "FGW", [
        ("企业投资项目核准", K_LIC, "企业投资项目核准和备案管理条例", 20, False),
        ("企业投资项目备案", K_OTHER, "企业投资项目核准和备案管理条例", 0, False),
        ("固定资产投资项目节能审查", K_LIC, "中华人民共和国节约能源法", 20, False),
        ("政府投资项目可行性研究报告审批", K_LIC, "政府投资条例", 20, False),
    ]),
    "jyj": ("教育局", "JYJ", [
        ("民办学校办学许可", K_LIC, "中华人民共和国民办教育促进法", 60, False),
        ("教师资格认定", K_LIC, "教师资格条例", 30, False),
        ("校车使用许可", K_LIC, "校车安全管理条例", 20, False),
        ("家庭经济困难学生资助申请", K_PAY, "中华人民共和国教育法", 20, False),
    ]),
    "gxj": ("工业和信息化局", "GXJ", [
        ("工业企业技术改造项目备案", K_OTHER, "中华人民共和国中小企业促进法", 0, False),
        ("中小企业公共服务示范平台认定", K_CONF, "中华人民共和国中小企业促进法", 30, False),
        ("新型墙体材料认定", K_CONF, "中华人民共和国节约能源法", 20, False),
    ]),
    "gaj": ("公安局", "GAJ", [
        ("居民身份证核发", K_CONF, "中华人民共和国居民身份证法", 60, False),
        ("户口迁移审批", K_LIC, "中华人民共和国户口登记条例", 20, False),
        ("机动车注册登记", K_CONF, "中华人民共和国道路交通安全法", 2, False),
        ("机动车驾驶证核发", K_LIC, "中华人民共和国道路交通安全法", 20, False),
        ("普通护照签发", K_LIC, "中华人民共和国护照法", 15, False),
        ("往来港澳通行证签发", K_LIC, "中国公民因私事往来香港地区或者澳门地区的暂行管理办法", 15, False),
        ("剧毒化学品购买许可", K_LIC, "危险化学品安全管理条例", 3, False),
        ("大型群众性活动安全许可", K_LIC, "大型群众性活动安全管理条例", 7, False),
        ("保安服务公司设立许可", K_LIC, "保安服务管理条例", 20, False),
        ("旅馆业特种行业许可", K_LIC, "旅馆业治安管理办法", 20, False),
    ]),
    "mzj": ("民政局", "MZJ", [
        ("社会团体成立登记", K_LIC, "社会团体登记管理条例", 60, False),
        ("民办非企业单位成立登记", K_LIC, "民办非企业单位登记管理暂行条例", 60, False),
        ("内地居民婚姻登记", K_CONF, "中华人民共和国民法典", 0, False),
        ("最低生活保障审核确认", K_CONF, "社会救助暂行办法", 30, False),
        ("养老机构备案", K_OTHER, "中华人民共和国老年人权益保障法", 5, False),
        ("殡葬设施建设审批", K_LIC, "殡葬管理条例", 20, False),
    ]),
    "sfj": ("司法局", "SFJ", [
        ("律师执业许可初审", K_LIC, "中华人民共和国律师法", 20, False),
        ("基层法律服务工作者执业核准", K_LIC, "基层法律服务工作者管理办法", 20, False),
        ("法律援助申请审查", K_PAY, "中华人民共和国法律援助法", 7, False),
        ("公证员执业审核", K_LIC, "中华人民共和国公证法", 20, False),
    ]),
    "czj": ("财政局", "CZJ", [
        ("代理记账机构设立审批", K_LIC, "中华人民共和国会计法", 20, False),
        ("政府采购投诉处理", K_RULING, "中华人民共和国政府采购法", 30, False),
        ("会计专业技术资格证书补办", K_CONF, "中华人民共和国会计法", 10, False),
    ]),
    "zfcg": ("政府采购中心", "ZFCG", [
        ("政府集中采购项目委托受理", K_PUB, "中华人民共和国政府采购法", 5, False),
        ("政府采购供应商质疑答复", K_OTHER, "政府采购质疑和投诉办法", 7, False),
        ("政府采购合同备案", K_OTHER, "中华人民共和国政府采购法实施条例", 2, False),
    ]),
    "rsj": ("人力资源和社会保障局", "RSJ", [
        ("人力资源服务许可", K_LIC, "人力资源市场暂行条例", 20, True),
        ("劳务派遣经营许可", K_LIC, "中华人民共和国劳动合同法", 20, False),
        ("企业实行不定时工作制和综合计算工时工作制审批", K_LIC, "中华人民共和国劳动法", 20, False),
        ("工伤认定", K_CONF, "工伤保险条例", 60, True),
        ("失业保险金申领", K_PAY, "失业保险条例", 10, True),
        ("社会保障卡申领", K_PUB, "中华人民共和国社会保险法", 0, False),
        ("民办职业培训学校设立审批", K_LIC, "中华人民共和国民办教育促进法", 60, False),
    ]),
    "zrzy": ("自然资源局", "ZRZY", [
        ("建设项目用地预审与选址意见书核发", K_LIC, "中华人民共和国土地管理法", 20, False),
        ("建设用地规划许可证核发", K_LIC, "中华人民共和国城乡规划法", 20, False),
        ("建设工程规划许可证核发", K_LIC, "中华人民共和国城乡规划法", 20, False),
        ("不动产首次登记", K_CONF, "不动产登记暂行条例", 30, False),
        ("不动产转移登记", K_CONF, "不动产登记暂行条例", 30, False),
        ("不动产抵押登记", K_CONF, "不动产登记暂行条例", 30, False),
        ("采矿权新立登记", K_LIC, "中华人民共和国矿产资源法", 40, False),
        ("测绘资质审批", K_LIC, "中华人民共和国测绘法", 20, False),
    ]),
    "sthj": ("生态环境局", "STHJ", [
        ("建设项目环境影响报告书审批", K_LIC, "中华人民共和国环境影响评价法", 60, False),
        ("建设项目环境影响报告表审批", K_LIC, "中华人民共和国环境影响评价法", 30, False),
        ("排污许可证核发", K_LIC, "排污许可管理条例", 30, False),
        ("危险废物经营许可证核发", K_LIC, "危险废物经营许可证管理办法", 20, False),
    ]),
    "zjj": ("住房和城乡建设局", "ZJJ", [
        ("建筑工程施工许可证核发", K_LIC, "中华人民共和国建筑法", 15, True),
        ("建筑业企业资质核准", K_LIC, "建筑业企业资质管理规定", 20, False),
        ("商品房预售许可", K_LIC, "城市商品房预售管理办法", 10, True),
        ("房地产开发企业资质核定", K_LIC, "房地产开发企业资质管理规定", 20, False),
        ("建设工程消防设计审查", K_LIC, "中华人民共和国消防法", 15, False),
        ("建设工程竣工验收备案", K_OTHER, "建设工程质量管理条例", 15, True),
        ("燃气经营许可证核发", K_LIC, "城镇燃气管理条例", 20, False),
        ("房屋建筑和市政基础设施工程招标文件备案", K_OTHER, "中华人民共和国招标投标法", 3, False),
        ("招标投标情况书面报告备案", K_OTHER, "中华人民共和国招标投标法", 15, False),
    ]),
    "jtj": ("交通运输局", "JTJ", [
        ("道路旅客运输经营许可", K_LIC, "中华人民共和国道路运输条例", 20, False),
        ("道路货物运输经营许可", K_LIC, "中华人民共和国道路运输条例", 20, False),
        ("巡游出租汽车经营许可", K_LIC, "巡游出租汽车经营服务管理规定", 20, False),
        ("公路超限运输许可", K_LIC, "中华人民共和国公路法", 5, False),
        ("交通建设工程招标文件备案", K_OTHER, "中华人民共和国招标投标法", 3, False),
    ]),
    "slj": ("水利局", "SLJ", [
        ("取水许可", K_LIC, "取水许可和水资源费征收管理条例", 45, False),
        ("生产建设项目水土保持方案审批", K_LIC, "中华人民共和国水土保持法", 20, False),
        ("河道管理范围内建设项目工程建设方案审批", K_LIC, "中华人民共和国河道管理条例", 20, False),
        ("水利工程招标文件备案", K_OTHER, "中华人民共和国招标投标法", 3, False),
    ]),
    "nmj": ("农牧局", "NMJ", [
        ("种畜禽生产经营许可", K_LIC, "中华人民共和国畜牧法", 20, False),
        ("动物防疫条件合格证核发", K_LIC, "中华人民共和国动物防疫法", 20, False),
        ("兽药经营许可证核发", K_LIC, "兽药管理条例", 30, False),
        ("农药经营许可", K_LIC, "农药管理条例", 20, False),
        ("拖拉机和联合收割机登记", K_CONF, "农业机械安全监督管理条例", 2, False),
        ("草原生态保护补助奖励资金发放", K_PAY, "中华人民共和国草原法", 30, False),
    ]),
    "swj": ("商务局", "SWJ", [
        ("对外贸易经营者备案登记", K_OTHER, "中华人民共和国对外贸易法", 0, False),
        ("单用途商业预付卡发卡企业备案", K_OTHER, "单用途商业预付卡管理办法（试行）", 5, False),
        ("报废机动车回收企业资质认定", K_LIC, "报废机动车回收管理办法", 20, False),
    ]),
    "wlj": ("文化旅游体育局", "WLJ", [
        ("营业性演出许可", K_LIC, "营业性演出管理条例", 20, False),
        ("娱乐场所经营许可", K_LIC, "娱乐场所管理条例", 20, False),
        ("旅行社业务经营许可", K_LIC, "旅行社条例", 20, False),
        ("互联网上网服务营业场所经营许可", K_LIC, "互联网上网服务营业场所管理条例", 20, False),
        ("高危险性体育项目经营许可", K_LIC, "全民健身条例", 30, False),
    ]),
    "wjw": ("卫生健康委员会", "WJW", [
        ("医疗机构执业登记", K_LIC, "医疗机构管理条例", 45, True),
        ("医师执业注册", K_LIC, "中华人民共和国医师法", 20, True),
        ("护士执业注册", K_LIC, "护士条例", 20, False),
        ("公共场所卫生许可", K_LIC, "公共场所卫生管理条例", 20, True),
        ("放射诊疗许可", K_LIC, "放射诊疗管理规定", 20, False),
        ("母婴保健技术服务执业许可", K_LIC, "中华人民共和国母婴保健法", 20, False),
        ("出生医学证明首次签发", K_CONF, "中华人民共和国母婴保健法", 0, False),
    ]),
    "tyjr": ("退役军人事务局", "TYJR", [
        ("退役士兵自主就业一次性经济补助金发放", K_PAY, "退役士兵安置条例", 30, False),
        ("烈士褒扬金发放", K_PAY, "烈士褒扬条例", 30, False),
        ("退役军人优待证申领", K_PUB, "中华人民共和国退役军人保障法", 15, False),
    ]),
    "yjj": ("应急管理局", "YJJ", [
        ("危险化学品经营许可", K_LIC, "危险化学品安全管理条例", 30, False),
        ("非煤矿山安全生产许可", K_LIC, "安全生产许可证条例", 45, False),
        ("烟花爆竹经营（零售）许可", K_LIC, "烟花爆竹安全管理条例", 20, False),
        ("生产安全事故应急预案备案", K_OTHER, "生产安全事故应急条例", 0, False),
    ]),
    "scjg": ("市场监督管理局", "SCJG", [
        ("企业设立登记", K_LIC, "中华人民共和国市场主体登记管理条例", 3, True),
        ("企业变更登记", K_LIC, "中华人民共和国市场主体登记管理条例", 3, False),
        ("企业注销登记", K_LIC, "中华人民共和国市场主体登记管理条例", 3, False),
        ("个体工商户登记", K_LIC, "促进个体工商户发展条例", 3, True),
        ("食品经营许可", K_LIC, "中华人民共和国食品安全法", 20, True),
        ("食品生产许可", K_LIC, "中华人民共和国食品安全法", 20, False),
        ("药品零售企业经营许可", K_LIC, "中华人民共和国药品管理法", 30, False),
        ("特种设备使用登记", K_LIC, "中华人民共和国特种设备安全法", 15, False),
        ("计量标准器具核准", K_LIC, "中华人民共和国计量法", 20, False),
        ("第二类医疗器械经营备案", K_OTHER, "医疗器械监督管理条例", 0, False),
    ]),
    "lcj": ("林业和草原局", "LCJ", [
        ("林木采伐许可证核发", K_LIC, "中华人民共和国森林法", 20, False),
        ("使用林地审核", K_LIC, "中华人民共和国森林法", 20, False),
        ("草原征占用审核", K_LIC, "中华人民共和国草原法", 20, False),
        ("陆生野生动物人工繁育许可", K_LIC, "中华人民共和国野生动物保护法", 20, False),
    ]),
    "ybj": ("医疗保障局", "YBJ", [
        ("基本医疗保险参保登记", K_PUB, "中华人民共和国社会保险法", 0, False),
        ("异地就医备案", K_PUB, "中华人民共和国社会保险法", 0, False),
        ("门诊慢特病待遇认定", K_CONF, "医疗保障基金使用监督管理条例", 20, False),
        ("医疗费用手工（零星）报销", K_PAY, "中华人民共和国社会保险法", 30, False),
    ]),
    "gjj": ("住房公积金管理中心", "GJJ", [
        ("住房公积金缴存登记", K_PUB, "住房公积金管理条例", 0, False),
        ("住房公积金提取", K_PUB, "住房公积金管理条例", 3, False),
        ("住房公积金个人住房贷款", K_PUB, "住房公积金管理条例", 15, False),
    ]),
    "tax": ("税务局", "SW", [
        ("新办纳税人套餐式服务", K_PUB, "中华人民共和国税收征收管理法", 0, False),
        ("增值税专用发票最高开票限额审批", K_LIC, "中华人民共和国税收征收管理法", 20, False),
        ("发票领用", K_PUB, "中华人民共和国发票管理办法", 5, False),
    ]),
    "rfb": ("人民防空办公室", "RFB", [
        ("应建防空地下室的民用建筑项目审批", K_LIC, "中华人民共和国人民防空法", 20, False),
        ("人民防空工程拆除审批", K_LIC, "中华人民共和国人民防空法", 20, False),
    ]),
    "daj": ("档案馆", "DAJ", [
        ("档案查阅利用", K_PUB, "中华人民共和国档案法", 0, False),
    ]),
}

# Bureaus with a banner-level counterpart in every county-level unit.
BANNER_BUREAUS = ("scjg", "rsj", "zjj", "wjw")
TAX_NAME = "国家税务总局锡林郭勒盟税务局"  # the tax bureau is named differently from the others

# Public-service units: (code suffix, name, region code, items as in BUREAUS).
UTILITIES = [
    ("GD", "国网锡林郭勒供电公司", "152500", [
        ("低压居民用电报装", K_PUB, "电力供应与使用条例", 5, False),
        ("高压用电报装", K_PUB, "电力供应与使用条例", 15, False),
        ("用电更名过户", K_PUB, "电力供应与使用条例", 0, False),
    ]),
    ("GS", "锡林浩特市自来水公司", "152502", [
        ("用水报装", K_PUB, "城市供水条例", 10, False),
        ("水表更名过户", K_PUB, "城市供水条例", 0, False),
    ]),
    ("RL", "锡林浩特市热力公司", "152502", [
        ("供热开栓申请", K_PUB, "内蒙古自治区城镇供热条例", 5, False),
        ("供热报停申请", K_PUB, "内蒙古自治区城镇供热条例", 3, False),
    ]),
]

# Township (苏木乡镇/街道) government items; each township offers a deterministic subset.
TOWNSHIP_ITEMS = [
    ("城乡居民基本养老保险参保登记", K_PUB, "中华人民共和国社会保险法", 0, False),
    ("高龄津贴申领", K_PAY, "中华人民共和国老年人权益保障法", 20, False),
    ("临时救助申请", K_PAY, "社会救助暂行办法", 10, False),
    ("牧区住宅建设用地审查", K_LIC, "中华人民共和国土地管理法", 20, False),
    ("残疾人两项补贴申请", K_PAY, "中华人民共和国残疾人保障法", 20, False),
]

# Fees for items that charge something (item name -> [(code, name, max amount in yuan, basis)]).
FEES = {
    "居民身份证核发": [("GBF", "居民身份证工本费", "20.00", "国家发展改革委、财政部核定的居民身份证工本费标准")],
    "普通护照签发": [("HZF", "普通护照工本费", "120.00", "国家发展改革委、财政部核定的出入境证件收费标准")],
    "往来港澳通行证签发": [("TXZ", "往来港澳通行证工本费", "60.00", "国家发展改革委、财政部核定的出入境证件收费标准")],
    "机动车注册登记": [("HPF", "机动车号牌工本费", "100.00", "自治区发展改革委、财政厅核定的机动车号牌收费标准"),
                  ("XSZ", "机动车行驶证工本费", "10.00", "自治区发展改革委、财政厅核定的证照工本费标准")],
    "机动车驾驶证核发": [("JSZ", "机动车驾驶证工本费", "10.00", "自治区发展改革委、财政厅核定的证照工本费标准")],
    "不动产首次登记": [("DJF", "不动产登记费", "550.00", "国家发展改革委、财政部核定的不动产登记收费标准"),
                 ("ZSF", "不动产权证书工本费", "10.00", "国家发展改革委、财政部核定的不动产登记收费标准")],
    "不动产转移登记": [("DJF", "不动产登记费", "550.00", "国家发展改革委、财政部核定的不动产登记收费标准"),
                 ("ZSF", "不动产权证书工本费", "10.00", "国家发展改革委、财政部核定的不动产登记收费标准")],
    "不动产抵押登记": [("DJF", "不动产登记费", "80.00", "国家发展改革委、财政部核定的不动产登记收费标准")],
    "采矿权新立登记": [("CKF", "采矿权出让收益", "100000.00", "矿业权出让收益征收办法")],
    "取水许可": [("SZY", "水资源税（费）", "50000.00", "自治区水资源税改革试点实施办法")],
    "高压用电报装": [("GDF", "高可靠性供电费", "80000.00", "自治区发展改革委核定的高可靠性供电费标准")],
    "用水报装": [("JSF", "供水设施建设费", "3000.00", "锡林浩特市发展和改革委员会核定的收费标准")],
}

RESULTS = {
    K_LIC: "准予（不予）行政许可决定书及相关证照", K_CONF: "确认（登记）证明或证书", K_PAY: "给付决定及资金发放",
    K_OTHER: "备案回执", K_PUB: "办理回执或服务凭证", K_RULING: "处理决定书", K_AWARD: "奖励决定",
}

# Generic materials by item kind (name, copies); item-specific ones are added by the generator.
MATERIALS = {
    K_LIC: [("申请书", 1), ("申请人身份证明", 1), ("营业执照或法人登记证书", 1)],
    K_CONF: [("申请表", 1), ("申请人身份证明", 1)],
    K_PAY: [("申请表", 1), ("申请人身份证明", 1), ("银行账户信息", 1)],
    K_OTHER: [("备案表", 1), ("营业执照或法人登记证书", 1)],
    K_PUB: [("申请表", 1), ("申请人身份证明", 1)],
    K_RULING: [("投诉书", 1), ("质疑及答复材料", 1)],
    K_AWARD: [("申报书", 1)],
}
EXTRA_MATERIALS = ["场所使用证明", "相关技术人员资格证明", "设计文件", "现场照片", "委托书（委托办理的）",
                   "有关部门意见", "安全管理制度", "专业技术评估报告", "房屋产权证明", "资金证明"]

# Steps: the intermediate stages between acceptance and completion (DOMAIN.md, the case clock, rule 8).
# Acceptance (`accepted`) and completion (`completed`) are events, not steps.
# (code, name, responsible post, duties, weight of the promised limit it gets).
STEPS = {
    "handle": ("承办", "业务科室承办人", "对申请材料进行实质审查，提出初审意见", 3),
    "inspect": ("现场核查", "业务科室核查人员", "组织现场核查，形成核查记录", 2),
    "review": ("审核", "业务科室负责人", "审核承办意见和相关材料，提出审核意见", 2),
    "expert": ("专家评审", "业务科室负责人", "组织专家评审（评审时间不计入办理时限），汇总评审意见", 2),
    "approve": ("审批", "分管负责人", "根据审核意见作出准予或不予许可（办理）的决定", 1),
}
# The steps' catalog `kind` (docs/catalog.md): which one handles (承办) and which approves (审批), so that
# separation of duties (SAME_HANDLER_APPROVAL) compares the right two: a "handle → review" item has
# no approval step, where the default (first and last step) would take the review for one.
STEP_KINDS = {"handle": "handle", "review": "review", "expert": "review", "approve": "approve"}
# The posts (岗位) of the demo's people, as the steps' `responsible` names them (a step is done at the
# workbench by staff holding its post): window clerks also handle and inspect, the department's
# manager reviews and approves, so 承办 and 审批 fall to different people.
CLERK_POSTS = "窗口受理人员、业务科室承办人、业务科室核查人员"
MANAGER_POSTS = "部门负责人、业务科室负责人、分管负责人"
# Patterns for licensing items (any) and for the others (the first three only).
STEP_PATTERNS = [
    ("handle", "review", "approve"),
    ("handle", "approve"),
    ("handle", "review"),
    ("handle", "inspect", "review", "approve"),
    ("handle", "review", "expert", "approve"),
]
PLAIN_PATTERNS = 3
# The share of items whose last step names no responsible person (责任人), for guide completeness to report.
UNNAMED_STEP_SHARE = 0.1
# The phases around the steps, shown in an item's process text.
ACCEPT_PHASE = ("受理", "窗口受理人员", "审查申请材料是否齐全、符合法定形式，当场或5个工作日内作出受理、不予受理或一次性告知补正决定")
DELIVER_PHASE = ("办结", "窗口出件人员", "制作并送达办理结果，告知申请人救济途径")

# People and places.
SURNAMES = "王李张刘陈杨赵黄周吴高孙马郭何胡朱林宋韩"
HAN_GIVEN = ["志强", "秀英", "建华", "丽娟", "海峰", "晓燕", "国庆", "文静", "宏伟", "春梅", "振宇", "雪梅",
             "立新", "桂兰", "俊杰", "玉梅", "永刚", "艳红", "学军", "亚楠"]
MONGOLIAN = ["巴特尔", "乌兰", "其其格", "额尔敦", "斯琴", "图雅", "苏和", "萨仁", "那仁", "宝音", "阿拉坦",
             "娜仁花", "朝鲁", "乌日娜", "孟和", "敖其尔", "塔娜", "毕力格", "格日乐", "哈斯"]
MONGOLIAN_SURNAMES = "包白乌敖"
ROADS = ["锡林大街", "那达慕大街", "额尔敦路", "团结大街", "贝子庙路", "宝力根路", "查干路", "希日塔拉路"]
HOURS = "周一至周五 8:30-12:00，14:30-18:00（夏季）；8:30-12:00，14:00-17:30（冬季）"
