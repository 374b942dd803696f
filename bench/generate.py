"""Generate a large, realistic corpus of annual-report files, deterministically from a seed.

Two kinds of documents:
  * real sample reports from corpus/sample with the agency/year in the title changed and the
    numbers inside the table sections replaced ("perturbed samples");
  * reports rendered with gongkai/render.py in one of its six layouts from random but
    internally consistent values (a few percent deliberately inconsistent, as real reports are),
    wrapped in page clutter (breadcrumbs, 字号 大 中 小, footers with ICP备 ...).

Document i depends only on (seed, i), so the corpus of N files is a prefix of the corpus of
M > N files and generation can be split over processes. Files are spread over
`<place>-<department>/<year>/` subfolders.

    uv run python -m bench.generate OUT_DIR --count 1000 --seed 7
"""

from __future__ import annotations

import argparse
import hashlib
import math
import multiprocessing
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from gongkai.render import PREAMBLE, printed_tables, render
from ingest.tables.labels import template_rows

ROOT = Path(__file__).resolve().parent.parent

SAMPLE_DIR = ROOT / "corpus" / "sample"

# Document kinds and their share of the corpus (weights, normalised below). Mostly HTML and
# pipe/newline page text, some markdown / PDF-like text, a little run-together.
KIND_WEIGHTS: dict[str, float] = {
    "html": 0.36,
    "pipe": 0.16,
    "newline": 0.14,
    "blank_line": 0.04,
    "markdown": 0.08,
    "run_together": 0.02,
    "sample": 0.17,  # perturbed real report (its own layout: html/pipe/line/md/run-together)
    "narrative": 0.03,  # narrative-only: no standard tables at all
}
GBK_SHARE = 0.03  # of text/HTML files written in GBK instead of UTF-8
INCONSISTENT_SHARE = 0.04  # of rendered reports with one figure deliberately off
BLANK_ORGS_SHARE = 0.08  # of HTML reports printing the legal-person columns blank (&nbsp;)

# Real samples: file name -> (agency as printed, report year as printed in the title).
SAMPLES: dict[str, tuple[str, int]] = {
    "000_428f89f9cabfe0c4.txt": ("浔阳区人民政府", 2019),
    "001_f034b2af3da2120e.txt": ("温州市鹿城区人民政府办公室", 2022),
    "002_9484449f81fef721.txt": ("中山市人民政府办公室", 2020),
    "003_3ec03d522cbb5947.txt": ("南芬区人民政府", 2017),
    "004_b946b0eb2e73828a.txt": ("连云区人民政府办公室", 2024),
    "2013_xietang-town_pre2019-narrative.txt": ("谢塘镇", 2013),
    "2018_pingtan-zone_pre2019-statistics-table.txt": ("平潭综合实验区", 2018),
    "2021_pingtan-zone_2021template_concatenated.txt": ("平潭综合实验区", 2021),
    "2023_shuyang-county-development-reform-bureau_2021template.html": ("沭阳县发展和改革局", 2023),
    "2024_shanghai-science-commission_2021template_pdftext.md": ("上海市科委", 2024),
    "2025_shuyang-county-government_2021template_ocr.md": ("沐阳县人民政府", 2025),
}
# Samples with tables (most of the picks); the pre-2019 ones also count as narrative-ish.
SAMPLE_WEIGHTS = {name: (0.3 if name[:4] in ("2013", "2018", "003_") else 1.0) for name in SAMPLES}

PLACES: list[tuple[str, str]] = [
    ("江宁区", "jiangning"),
    ("鼓楼区", "gulou"),
    ("海曙区", "haishu"),
    ("余杭区", "yuhang"),
    ("沭阳县", "shuyang"),
    ("浔阳区", "xunyang"),
    ("鹿城区", "lucheng"),
    ("连云区", "lianyun"),
    ("中山市", "zhongshan"),
    ("南芬区", "nanfen"),
    ("平潭综合实验区", "pingtan"),
    ("昆山市", "kunshan"),
    ("武进区", "wujin"),
    ("吴中区", "wuzhong"),
    ("滨江区", "binjiang"),
    ("萧山区", "xiaoshan"),
    ("义乌市", "yiwu"),
    ("慈溪市", "cixi"),
    ("江阴市", "jiangyin"),
    ("宜兴市", "yixing"),
    ("如皋市", "rugao"),
    ("海门区", "haimen"),
    ("邳州市", "pizhou"),
    ("新沂市", "xinyi"),
    ("天河区", "tianhe"),
    ("越秀区", "yuexiu"),
    ("南山区", "nanshan"),
    ("龙岗区", "longgang"),
    ("顺德区", "shunde"),
    ("番禺区", "panyu"),
    ("武侯区", "wuhou"),
    ("锦江区", "jinjiang"),
    ("雁塔区", "yanta"),
    ("碑林区", "beilin"),
    ("历下区", "lixia"),
    ("市南区", "shinan"),
    ("和平区", "heping"),
    ("南开区", "nankai"),
    ("朝阳区", "chaoyang"),
    ("海淀区", "haidian"),
    ("浦东新区", "pudong"),
    ("徐汇区", "xuhui"),
    ("芙蓉区", "furong"),
    ("岳麓区", "yuelu"),
    ("江汉区", "jianghan"),
    ("洪山区", "hongshan"),
    ("金水区", "jinshui"),
    ("二七区", "erqi"),
]
DEPARTMENTS: list[tuple[str, str]] = [
    ("人民政府", "gov"),
    ("人民政府办公室", "govoffice"),
    ("发展和改革局", "drc"),
    ("教育局", "edu"),
    ("财政局", "finance"),
    ("公安分局", "police"),
    ("生态环境局", "eco"),
    ("住房和城乡建设局", "housing"),
    ("交通运输局", "transport"),
    ("卫生健康委员会", "health"),
    ("市场监督管理局", "market"),
    ("自然资源和规划局", "land"),
    ("民政局", "civil"),
    ("人力资源和社会保障局", "hrss"),
    ("农业农村局", "agri"),
    ("司法局", "justice"),
    ("城市管理局", "urban"),
    ("应急管理局", "emergency"),
    ("审计局", "audit"),
    ("文化广电和旅游局", "culture"),
    ("水务局", "water"),
    ("统计局", "stats"),
]

# Outcome rows of the applications table and how often an application ends there.
OUTCOME_WEIGHTS: dict[str, float] = {
    "granted": 0.50,
    "partially_granted": 0.08,
    "withheld_state_secret": 0.005,
    "withheld_prohibited_by_law": 0.005,
    "withheld_security_stability": 0.005,
    "withheld_third_party_rights": 0.01,
    "withheld_internal_affairs": 0.02,
    "withheld_process_info": 0.02,
    "withheld_enforcement_file": 0.01,
    "withheld_admin_query": 0.01,
    "unavailable_not_held": 0.15,
    "unavailable_needs_creation": 0.02,
    "unavailable_unclear": 0.04,
    "not_processed_complaint": 0.03,
    "not_processed_duplicate": 0.02,
    "not_processed_publication": 0.01,
    "not_processed_excessive": 0.005,
    "not_processed_confirmation": 0.01,
    "other_total": 0.03,
    "other_overdue_correction": 0.015,
    "other_overdue_fee": 0.002,
    "other_misc": 0.015,
}
FLOW_ROWS = ("new_received", "carried_over", "total_processed", "carried_forward")
APPLICANTS = 6

Values = dict[tuple[str, str], list[str]]


@dataclass(frozen=True)
class Document:
    relative_path: str
    data: bytes
    kind: str  # layout name, "narrative" or "sample:<sample prefix>"
    encoding: str
    inconsistent: bool  # a figure was deliberately made inconsistent


MANIFEST = ".manifest.tsv"  # hidden: the ingest skips it


# --------------------------------------------------------------------------- identities


def _identity(rng: random.Random, template: str | None) -> tuple[str, str, int]:
    """(agency name, folder slug, report year) consistent with the template's years."""
    place, place_slug = rng.choice(PLACES)
    department, department_slug = rng.choice(DEPARTMENTS)
    if template == "2019":
        year = rng.choice((2019, 2020))
    elif template == "2021":
        year = rng.choice((2021, 2022, 2023, 2024))
    else:
        year = rng.randint(2009, 2018)
    return place + department, f"{place_slug}-{department_slug}", year


def _file_name(rng: random.Random, suffix: str) -> str:
    return f"{rng.getrandbits(64):016x}{suffix}"


# --------------------------------------------------------------------------- values


def _count(rng: random.Random, scale: float) -> int:
    """A heavy-tailed count: mostly small, sometimes thousands."""
    if rng.random() < 0.35:
        return 0
    return int(math.exp(rng.gauss(math.log(max(scale, 1.0)), 1.2)))


def _split(rng: random.Random, total: int, rows: list[str]) -> dict[str, int]:
    """Split `total` applications over outcome rows, proportional to jittered weights."""
    weights = {row: OUTCOME_WEIGHTS[row] * rng.random() for row in rows}
    weight_sum = sum(weights.values()) or 1.0
    parts = {row: int(total * w / weight_sum) for row, w in weights.items()}
    parts["granted"] += total - sum(parts.values())
    return parts


def application_values(rng: random.Random, template: str) -> dict[str, list[int]]:
    """row_code -> six applicant counts + total, satisfying R01, R02 and R03."""
    specs = [s.row_code for s in template_rows(template, "applications")]
    outcomes = [r for r in specs if r not in FLOW_ROWS]
    scale = rng.choice((3, 10, 30, 120, 600))
    columns: list[dict[str, int]] = []
    for column in range(APPLICANTS):
        # Natural persons file most requests; enterprises some; the others rarely.
        share = (1.0, 0.25, 0.03, 0.03, 0.05, 0.08)[column]
        new = _count(rng, scale * share) if column == 0 or rng.random() < share * 2 else 0
        carried_over = _count(rng, new * 0.05) if new and rng.random() < 0.3 else 0
        carried_forward = min(new + carried_over, _count(rng, new * 0.05)) if new else 0
        processed = new + carried_over - carried_forward
        cell = {
            "new_received": new,
            "carried_over": carried_over,
            "total_processed": processed,
            "carried_forward": carried_forward,
        }
        cell.update(_split(rng, processed, outcomes))
        columns.append(cell)
    return {row: [c[row] for c in columns] + [sum(c[row] for c in columns)] for row in specs}


def review_values(rng: random.Random) -> dict[str, list[int]]:
    rows = {}
    for row in ("admin_review", "lawsuit_direct", "lawsuit_after_review"):
        parts = [_count(rng, 1.5) if rng.random() < 0.3 else 0 for _ in range(4)]
        rows[row] = parts + [sum(parts)]
    return rows


def _money(rng: random.Random, unit_choices: tuple[str, ...]) -> str:
    amount = round(math.exp(rng.gauss(4, 2)), rng.choice((0, 2, 4)))
    if amount == int(amount):
        amount = int(amount)
    return f"{amount}{rng.choice(unit_choices)}" if rng.random() < 0.95 else "0"


def proactive_values(rng: random.Random, template: str) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for spec in template_rows(template, "proactive"):
        cells = []
        for column in spec.columns:
            if column == "change":
                cells.append(str(rng.randint(-30, 60) if rng.random() < 0.5 else 0))
            elif column == "amount":
                cells.append(_money(rng, ("万元", "元", "")))
            elif column == "fee_amount":
                cells.append(_money(rng, ("",)) if rng.random() < 0.2 else "0")
            else:
                cells.append(str(_count(rng, 20)))
        if spec.columns == ("new_made", "new_published", "total_published"):
            made = int(cells[0])
            cells = [str(made), str(made), str(made + _count(rng, 40))]
        values[spec.row_code] = cells
    return values


def report_values(rng: random.Random, template: str) -> tuple[Values, bool]:
    """All three tables as printed strings; True when a figure was made inconsistent."""
    values: Values = {}
    for row, cells in proactive_values(rng, template).items():
        values[("proactive", row)] = cells
    applications = application_values(rng, template)
    reviews = review_values(rng)
    inconsistent = rng.random() < INCONSISTENT_SHARE
    if inconsistent:  # real reports slip: one count off by a few
        table = rng.choice((applications, reviews))
        row = rng.choice(sorted(table))
        column = rng.randrange(len(table[row]))
        table[row][column] = max(0, table[row][column] + rng.choice((-3, -1, 1, 2, 5, 10)))
    for row, counts in applications.items():
        values[("applications", row)] = [str(v) for v in counts]
    for row, counts in reviews.items():
        values[("reviews_litigation", row)] = [str(v) for v in counts]
    return values, inconsistent


# --------------------------------------------------------------------------- page text

NARRATIVE = [
    "本年度，{agency}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，"
    "不断加大政务公开力度，全面提升政务公开质效。",
    "（一）主动公开。全年通过政府门户网站主动公开政府信息{a}条，其中政策文件{b}条，政策解读{c}篇。",
    "（二）依申请公开。全年共受理政府信息公开申请{d}件，均在法定期限内答复。",
    "（三）政府信息管理。严格落实信息发布审核制度，全年开展保密审查{e}次。",
    "（四）平台建设。持续优化政府网站信息公开专栏，更新栏目{f}个。",
    "（五）监督保障。将政务公开工作纳入年度绩效考核，组织业务培训{g}次，参训人员{h}人次。",
]
EPILOGUES = [
    "五、存在的主要问题及改进情况\n一是公开内容的深度和广度仍需拓展；二是政策解读形式较为单一。"
    "下一步，我们将进一步规范公开流程，丰富解读形式。\n六、其他需要报告的事项\n本年度未收取信息处理费。",
    "五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。",
]
BREADCRUMBS = [
    "首页 > 政务公开 > 政府信息公开年报",
    "当前位置：首页 > 信息公开 > 法定主动公开内容 > 政府信息公开年度报告",
    "您当前的位置：首页>政府信息公开>年度报告",
]
TOP_CLUTTER = [
    "字号：大 中 小",
    "【字体：大 中 小】 打印",
    "扫一扫在手机打开当前页",
    "分享到：",
    "浏览次数：",
]
FOOTERS = [
    "主办单位：{agency} 承办单位：{agency}办公室",
    "网站标识码：{code} 苏ICP备{icp}号-1 苏公网安备 {beian}号",
    "版权所有：{agency} 浙ICP备{icp}号",
    "【打印本页】 【关闭窗口】",
    "联系电话：0527-{phone} 地址：人民路{no}号",
]


def _preamble(rng: random.Random, agency: str, year: int) -> list[str]:
    published = f"{year + 1}-0{rng.randint(1, 3)}-{rng.randint(10, 28)}"
    fill = {k: rng.randint(1, 3000) for k in "abcdefgh"} | {"agency": agency}
    body = [p.format(**fill) for p in NARRATIVE[: rng.randint(1, len(NARRATIVE))]]
    index_no = f"索引号：{rng.randint(10**8, 10**9 - 1)}/{year + 1}-{rng.randint(1, 99999):05d}"
    title = f"{agency}{year}年政府信息公开工作年度报告"
    return [title, f"发布日期：{published}", index_no, "一、总体情况", *body]


def _clutter(rng: random.Random, agency: str) -> tuple[list[str], list[str]]:
    fill = {
        "agency": agency,
        "code": rng.randint(10**9, 10**10 - 1),
        "icp": rng.randint(10**7, 10**8),
        "beian": rng.randint(10**13, 10**14),
        "phone": rng.randint(1000000, 9999999),
        "no": rng.randint(1, 300),
    }
    before = [rng.choice(BREADCRUMBS)] + rng.sample(TOP_CLUTTER, rng.randint(1, 3))
    after = [line.format(**fill) for line in rng.sample(FOOTERS, rng.randint(2, len(FOOTERS)))]
    return before, after


def _html_page(
    agency: str, year: int, body_lines: list[str], before: list[str], after: list[str], charset: str
) -> str:
    def para(line: str) -> str:
        return line if line.startswith("<table") else f"<p>{line}</p>"

    head = (
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; '
        f'charset={charset}"><title>{agency}{year}年政府信息公开工作年度报告</title>'
        "<script>var _hmt=_hmt||[];</script><style>td{border:1px solid #000}</style></head><body>"
    )
    nav = "".join(f'<div class="nav">{line}</div>' for line in before)
    article = "\n".join(para(line) for line in body_lines if line)
    foot = "".join(f'<div class="footer">{line}</div>' for line in after)
    return f'{head}{nav}<div class="article">\n{article}\n</div>{foot}</body></html>'


def _blank_org_columns(values: Values) -> Values:
    """Print zero legal-person cells as blanks (&nbsp;), as some HTML pages do."""
    out = dict(values)
    for (table, row), cells in values.items():
        if table == "applications":
            out[(table, row)] = (
                [cells[0]] + [c if c != "0" else "" for c in cells[1:6]] + [cells[6]]
            )
    return out


def rendered_document(rng: random.Random, layout: str) -> tuple[str, str, str, int, bool]:
    """(text, suffix, folder slug, year, inconsistent) for one rendered report."""
    template = rng.choice(("2019", "2021", "2021"))
    agency, slug, year = _identity(rng, template)
    values, inconsistent = report_values(rng, template)
    if layout == "html" and rng.random() < BLANK_ORGS_SHARE:
        values = _blank_org_columns(values)
    text = render(layout, printed_tables(template, values))
    preamble = _preamble(rng, agency, year)
    text = text.replace(PREAMBLE, "\n".join(preamble), 1)
    epilogue = rng.choice(EPILOGUES)
    text = text.replace(EPILOGUES[1], epilogue, 1)
    before, after = _clutter(rng, agency)
    if layout == "html":
        page = _html_page(agency, year, text.split("\n"), before, after, "utf-8")
        return page, ".html", slug, year, inconsistent
    suffix = ".md" if layout == "markdown" else ".txt"
    return "\n".join(before + [text] + after), suffix, slug, year, inconsistent


def narrative_document(rng: random.Random) -> tuple[str, str, int]:
    agency, slug, year = _identity(rng, rng.choice((None, "2019", "2021")))
    before, after = _clutter(rng, agency)
    lines = _preamble(rng, agency, year)
    lines += [
        "二、主动公开政府信息情况",
        f"全年主动公开信息{rng.randint(10, 9000)}条。",
        "三、收到和处理政府信息公开申请情况",
        f"全年受理申请{rng.randint(0, 300)}件。",
    ]
    return "\n".join(before + lines + after), slug, year


# --------------------------------------------------------------------------- perturbed samples

# The table sections: from the 二、 (or 表二：) heading to the next 五、 heading.
_TABLE_START_RE = re.compile(r"(?:二\s*、|表二\s*[：:])\s*主动公开政府信息情况")
_TABLE_END_RE = re.compile(r"^\W*五\s*、", re.MULTILINE)
_HTML_NUMBER_RE = re.compile(r"(?<=>)(\s*)(\d+)(?=\s*<)")
_TEXT_NUMBER_RE = re.compile(r"(?:(?<=^)|(?<=[|\s]))(\d+)(?=$|[|\s])", re.MULTILINE)


def _new_number(rng: random.Random, digits: str) -> str:
    """A different number of the same length; zeros mostly stay zero (as in real tables)."""
    if set(digits) == {"0"} and rng.random() < 0.85:
        return digits
    if len(digits) == 1:
        return str(rng.randint(0, 9))
    return str(rng.randint(10 ** (len(digits) - 1), 10 ** len(digits) - 1))


def perturb_sample(rng: random.Random, name: str, text: str) -> tuple[str, str, int]:
    """Change agency and year, and the numbers between the 二、 heading and the 五、 heading."""
    agency, year = SAMPLES[name]
    template = "2019" if 2019 <= year <= 2020 else ("2021" if year >= 2021 else None)
    new_agency, slug, new_year = _identity(rng, template)
    text = text.replace(agency, new_agency)
    text = re.sub(rf"{year}(\s*年)", rf"{new_year}\1", text)
    start = _TABLE_START_RE.search(text)
    end = _TABLE_END_RE.search(text, start.end()) if start else None
    # Run-together digits keep their numbers: changing them would only make noise.
    if start and end and start.start() < end.start() and "concatenated" not in name:
        html = name.endswith(".html")
        pattern = _HTML_NUMBER_RE if html else _TEXT_NUMBER_RE
        group = 2 if html else 1

        def replace(match: re.Match[str]) -> str:
            new = _new_number(rng, match.group(group))
            return (match.group(1) + new) if html else new

        middle = pattern.sub(replace, text[start.end() : end.start()])
        text = text[: start.end()] + middle + text[end.start() :]
    return text, slug, new_year


_SAMPLE_TEXTS: dict[str, str] = {}


def _sample_text(name: str) -> str:
    if name not in _SAMPLE_TEXTS:
        _SAMPLE_TEXTS[name] = (SAMPLE_DIR / name).read_text(encoding="utf-8")
    return _SAMPLE_TEXTS[name]


# --------------------------------------------------------------------------- one document


def _encode(rng: random.Random, text: str, suffix: str) -> tuple[bytes, str]:
    """UTF-8, or GBK for a few files (HTML then declares charset=gbk)."""
    if rng.random() < GBK_SHARE:
        gbk_text = text.replace("charset=utf-8", "charset=gbk")
        try:
            return gbk_text.encode("gbk"), "gbk"
        except UnicodeEncodeError:
            pass
    return text.encode("utf-8"), "utf-8"


def make_document(seed: int, index: int) -> Document:
    """Document `index` of the corpus for `seed`; depends on nothing else."""
    rng = random.Random(f"{seed}:{index}")
    kinds, weights = zip(*KIND_WEIGHTS.items(), strict=True)
    kind = rng.choices(kinds, weights)[0]
    inconsistent = False
    if kind == "sample":
        names, sample_weights = zip(*SAMPLE_WEIGHTS.items(), strict=True)
        name = rng.choices(names, sample_weights)[0]
        text, slug, year = perturb_sample(rng, name, _sample_text(name))
        suffix = Path(name).suffix
        kind = f"sample:{name.split('_', 1)[0]}"
    elif kind == "narrative":
        text, slug, year = narrative_document(rng)
        suffix = ".txt"
    else:
        text, suffix, slug, year, inconsistent = rendered_document(rng, kind)
    data, encoding = _encode(rng, text, suffix)
    relative = f"{slug}/{year}/{_file_name(rng, suffix)}"
    return Document(relative, data, kind, encoding, inconsistent)


def _write_range(arguments: tuple[Path, int, int, int]) -> list[str]:
    """Write documents start..stop-1; returns their manifest lines."""
    out, seed, start, stop = arguments
    lines = []
    for index in range(start, stop):
        document = make_document(seed, index)
        path = out / document.relative_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(document.data)
        flag = int(document.inconsistent)
        lines.append(f"{document.relative_path}\t{document.kind}\t{document.encoding}\t{flag}\n")
    return lines


def read_manifest(out: Path) -> dict[str, tuple[str, str, bool]]:
    """relative path -> (kind, encoding, inconsistent) for a generated corpus."""
    manifest = {}
    for line in (out / MANIFEST).read_text(encoding="utf-8").splitlines():
        relative, kind, encoding, flag = line.split("\t")
        manifest[relative] = (kind, encoding, flag == "1")
    return manifest


def generate(out: Path, count: int, seed: int = 7, workers: int = 2) -> dict[str, int]:
    """Write documents 0..count-1 under `out`; returns how many of each kind were written."""
    out.mkdir(parents=True, exist_ok=True)
    step = 500
    chunks = [(out, seed, start, min(start + step, count)) for start in range(0, count, step)]
    totals: dict[str, int] = {}
    with open(out / MANIFEST, "w", encoding="utf-8") as manifest:
        if workers > 1 and len(chunks) > 1:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = list(pool.imap(_write_range, chunks))
        else:
            results = [_write_range(chunk) for chunk in chunks]
        for lines in results:
            manifest.writelines(lines)
            for line in lines:
                kind = line.split("\t")[1]
                totals[kind] = totals.get(kind, 0) + 1
    return totals


def corpus_digest(seed: int, count: int) -> str:
    """A short tag naming one generated corpus (changes when this generator changes)."""
    source = Path(__file__).read_bytes() + (ROOT / "gongkai/render.py").read_bytes()
    return hashlib.sha256(source + f"{seed}:{count}".encode()).hexdigest()[:8]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("out", type=Path, help="folder to write the corpus into")
    parser.add_argument("--count", type=int, default=1000, help="number of documents")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    arguments = parser.parse_args(argv)
    started = time.perf_counter()
    kinds = generate(arguments.out, arguments.count, arguments.seed, arguments.workers)
    seconds = time.perf_counter() - started
    for kind, n in sorted(kinds.items()):
        print(f"{kind:28} {n:8}")
    print(f"{arguments.count} documents in {seconds:.1f} s -> {arguments.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
