"""Document metadata from the page text: title, issuing body, year, dates, index number.

Government pages print a metadata block (索引号 / 发布机构 / 发布日期 …) before the report;
where it is missing we fall back on the title line and the report's own statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from gongkai.seeds import read_seed

_CJK = r"\u4e00-\u9fff"


def _labels(field: str) -> tuple[str, ...]:
    """The printed labels of a metadata field, in the order they are tried
    (seeds/metadata_labels.csv)."""
    rows = [row for row in read_seed("metadata_labels.csv") if row["field"] == field]
    return tuple(row["label"] for row in sorted(rows, key=lambda row: int(row["label_order"])))


def _field(*names: str) -> str:
    """Field names as a regex that allows page-layout spaces inside ("索 引 号")."""
    return "(?:" + "|".join(r"\s*".join(map(re.escape, name)) for name in names) + ")"


_SEP = r"\s*[:：]?\s*\|?\s*"
_FIELD_END = r"(?=\s*(?:\||$|\s\S{2,6}[:：]|[　\s]{2,}))"

_INDEX_RE = re.compile(rf"{_field(*_labels('index_no'))}{_SEP}([A-Za-z0-9][\w\-/.]*|/[\w\-/.]+)")
# A field's value ends where the next field's name starts when text extraction (PDF) lost
# the space between them ("来源：平潭县人民政府时间：2023-02-20").
_NEXT_FIELD = (
    r"(?=(?:发布|成文|公开|更新)?(?:时间|日期)|浏览|点击|字号|分享|打印|[^\u4e00-\u9fff（）()·]|$)"
)
_NAME = rf"([{_CJK}（）()·]{{3,40}}?){_NEXT_FIELD}"
# Issuing body fields, most specific first; 来源 is often the website, so it comes last.
_AGENCY_FIELDS = (
    re.compile(
        rf"{_field(*_labels('agency'))}"
        rf"{_SEP}(?:本网)?{_NAME}"
    ),
)
_SOURCE_FIELD = re.compile(rf"{_field(*_labels('agency_source'))}{_SEP}(?:本网)?{_NAME}")
_TITLE_FIELD_RE = re.compile(rf"{_field(*_labels('title'))}{_SEP}(.+?){_FIELD_END}")
_DATE = r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
# Most specific first: a bare 时间 / 日期 is tried last.
_DATE_FIELDS = _labels("published_date")
_DATE_FIELD_RE = {
    # "采集时间" / "更新时间" are an archive's or a CMS's dates, not the publication date.
    name: re.compile(rf"(?<!采集)(?<!更新){_field(name)}{_SEP}(?:<[^>]*>)?{_DATE}")
    for name in _DATE_FIELDS
}
_STANDALONE_DATE_RE = re.compile(rf"^[（(]?\s*{_DATE}\s*日?\s*[)）]?$")
_TITLE_LINE_RE = re.compile(r"政府信息公开.{0,12}(?:年度报告|工作报告|年报)")
_YEAR_IN_TITLE_RE = re.compile(r"((?:19|20)\d{2})\s*年")
_PERIOD_RE = re.compile(
    r"统计(?:期限|时限|周期|时间)?(?:为|是|从|自)?\s*((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日"
)
_TITLE_PREFIX_RE = re.compile(r"^(?:[（(](?:图解|解读|文字版|全文)[)）]|[#\s\-|]+)")
_TITLE_SUFFIX_RE = re.compile(r"(?:\s*\|.*|[-—_].{0,20})$")
# After the title's own end (…年度报告), a separator starts the page's site suffix
# ("…年度报告_政府信息公开年报_平潭综合实验区党工委管委会").
_TITLE_END_RE = re.compile(r"(?:年度报告|工作报告|年报)(?=\s*[_|\-—–]+)")
# A document cited in the text ("《…关于编制公布2021年政府信息公开工作年度报告有关事项的通知》")
# or a breadcrumb / column line is not the report's title.
_NOT_A_TITLE_RE = re.compile(r"《|》|通知|有关事项|当前位置|您现在的位置|栏目|首页\s*[>›»]")
# The body's opening "2021年，我区…" names the year reported on.
_OPENING_YEAR_RE = re.compile(r"^\s*((?:19|20)\d{2})\s*年(?:度)?\s*[,，]")
# A signature: the body's name on a line of its own, its date on the next line.
_SIGNATURE_NAME_RE = re.compile(
    r"^[\u4e00-\u9fff（）()]{3,30}(?:人民政府|政府|办公室|委员会|管委会|局|委|办|厅|署|院|中心|"
    r"镇|乡|街道|街道办事处|区|县|市)$"
)
_NOT_AN_AGENCY = {"本网", "本站", "本机关", "本单位", "政府信息公开年报"}
# Long runs of whitespace are squeezed first: the `\s*` of the patterns above would scan a
# run once per starting position (quadratic on a page with one 300 KB line of spaces).
_LONG_SPACE_RE = re.compile(r"\s{4,}")


@dataclass(frozen=True)
class Metadata:
    title: str | None
    agency: str | None
    report_year: int | None
    published_date: date | None
    index_no: str | None


def extract_metadata(lines: list[str]) -> Metadata:
    nonblank = [_LONG_SPACE_RE.sub("   ", text) for line in lines if (text := line.strip())]
    title_at, title = _title(nonblank[:80])
    # The metadata block sits around the title; long lines are narrative, not fields.
    block = [line for line in nonblank[: max(title_at + 15, 60)] if len(line) < 200]
    return Metadata(
        title=title,
        agency=_agency(block, title, nonblank),
        report_year=_report_year(title, nonblank),
        published_date=_published_date(block, nonblank),
        index_no=_first_group(_INDEX_RE, block),
    )


def _first_group(pattern: re.Pattern[str], lines: list[str]) -> str | None:
    for line in lines:
        match = pattern.search(line)
        if match and match.group(1).strip():
            return match.group(1).strip()
    return None


def _title(head: list[str]) -> tuple[int, str | None]:
    """(line index, title): a 标题 field, else the first title-like line, else a broken one."""
    for index, line in enumerate(head):
        match = _TITLE_FIELD_RE.search(line)
        if match and _TITLE_LINE_RE.search(match.group(1)):
            return index, _clean_title(match.group(1))
    for index, line in enumerate(head):
        candidate = _clean_title(line)
        if _is_title(candidate):
            return index, candidate
    for index in range(len(head) - 1):
        candidate = _clean_title(head[index] + head[index + 1])
        if _is_title(candidate):
            return index, candidate
    return min(len(head), 20), None


def _clean_title(title: str) -> str:
    title = _TITLE_PREFIX_RE.sub("", title.strip())
    end = _TITLE_END_RE.search(title)
    if end:
        title = title[: end.end()]
    title = _TITLE_SUFFIX_RE.sub("", title).strip(" |")
    return re.sub(r"\s+", "", title)


def _is_title(candidate: str) -> bool:
    match = _TITLE_LINE_RE.search(candidate)
    # A column name ("政府信息公开年报") names no report: a title says whose, or which year.
    says_more = match is not None and (
        _YEAR_IN_TITLE_RE.search(candidate) or len(candidate) - len(match.group()) >= 4
    )
    return (
        bool(says_more)
        and len(candidate) <= 60
        and "。" not in candidate
        and not _NOT_A_TITLE_RE.search(candidate)
    )


def _agency(block: list[str], title: str | None, lines: list[str]) -> str | None:
    """发布机构-like fields, else the title's subject, else the signature, else 来源."""
    for pattern in _AGENCY_FIELDS:
        name = _first_group(pattern, block)
        if name and name not in _NOT_AN_AGENCY:
            return name
    if title:
        subject = (
            re.sub(r"^.*?(?:19|20)\d{2}年度?(?=.)", "", title)
            if re.match(r"^(?:19|20)\d{2}", title)
            else re.sub(r"(?:19|20)\d{2}年度?.*$", "", title)
        )
        subject = re.split(r"政府信息公开|信息公开", subject)[0].strip()
        # "关于…" opens a title as a word, never strip it as characters (于都县 stays whole).
        subject = re.sub(r"^关于", "", subject).strip()
        if len(subject) >= 2 and subject not in _NOT_AN_AGENCY:
            return subject
    signature = _signature(lines)
    if signature:
        return signature[0]
    name = _first_group(_SOURCE_FIELD, block)
    return name if name not in _NOT_AN_AGENCY else None


def _signature(lines: list[str]) -> tuple[str, date | None] | None:
    """(body, date) signed at the end of the report: a name line, then a date line."""
    for index in range(len(lines) - 2, -1, -1):
        name, below = lines[index].strip(), lines[index + 1].strip()
        match = _STANDALONE_DATE_RE.match(below)
        if match and _SIGNATURE_NAME_RE.match(name):
            return name, _to_date(match)
    return None


def _report_year(title: str | None, lines: list[str]) -> int | None:
    """From the title, else the 统计期限 sentence, else the opening "20XX年，…" of the text."""
    if title:
        match = _YEAR_IN_TITLE_RE.search(title)
        if match:
            return int(match.group(1))
    for line in lines[:200]:
        match = _PERIOD_RE.search(line)
        if match:
            return int(match.group(1))
    for line in lines[:200]:
        match = _OPENING_YEAR_RE.match(line)
        if match:
            return int(match.group(1))
    return None


def _published_date(block: list[str], lines: list[str]) -> date | None:
    for name in _DATE_FIELDS:
        for line in block:
            match = _DATE_FIELD_RE[name].search(line)
            if match:
                return _to_date(match)
    signature = _signature(lines)
    if signature and signature[1]:
        return signature[1]
    # A date on a line of its own, under the title or at the end.
    for line in block[:8] + lines[-8:]:
        match = _STANDALONE_DATE_RE.match(line)
        if match:
            return _to_date(match)
    return None


def _to_date(match: re.Match[str]) -> date | None:
    year, month, day = (int(g) for g in match.groups()[-3:])
    try:
        return date(year, month, day)
    except ValueError:
        return None
