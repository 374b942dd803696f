"""Who published a report: its issuing body as a division (GB/T 2260 code) and a kind of body.

Reports print their body in many ways: with or without the province / prefecture prefix
(温州市鹿城区人民政府办公室 / 鹿城区人民政府办公室), by a division's short name
(平潭综合实验区 for 平潭县), by an old name (上虞市, now 上虞区), in short forms (上海市科委) or
misread by OCR (沐阳县 for 沭阳县). We read the candidates a page offers (the title's subject,
the 发布机构 field, the signature, the 来源 line), split each into a chain of divisions and a
remainder, and read the kind of body from the remainder. The division names come from
seeds/divisions.csv and seeds/division_names.csv (generated from a published dataset), a
township body that prints no county is placed by seeds/townships.csv (generated from the
published township codes), the kinds and short forms from seeds/agency_kinds.csv and
seeds/agency_name_variants.csv.

The join to the division hierarchy (level, province / prefecture names), the reviewer's
overrides and the agency ids happen in the warehouse.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache

from gongkai.seeds import read_seed

# How the match was made (dim_reports.agency_match_method; `override` is applied in dbt).
METHOD_DIVISION_KIND = "division_kind"  # a division's current full name, then a kind of body
METHOD_ALIAS = "alias"  # a division's short or former name (平潭 for 平潭县, 上虞市 for 上虞区)
METHOD_FUZZY = "fuzzy"  # a division name one character off (OCR), corrected by the division data
METHOD_TOWNSHIP = "township"  # a township or street body placed by the townships seed
METHOD_CONTEXT = "context"  # a township or street body placed by the county its text names
METHOD_UNMATCHED = "unmatched"

TOWNSHIP_KINDS = frozenset({"township_government", "street_office"})
_DIVISION_SUFFIXES = "省市区县旗盟州"
_CANDIDATE_CHARS = re.compile(r"[^\u4e00-\u9fff（）()·]")
_SIGNATURE_DATE = re.compile(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_TITLE_SUBJECT = re.compile(r"^(?:关于)?(.*?)(?:(?:19|20)\d{2}\s*年度?)")
_TITLE_SUBJECT_AFTER_YEAR = re.compile(r"^(?:19|20)\d{2}\s*年度?(.*?)(?:政府信息公开|信息公开)")
_NOT_A_BODY = frozenset({"本网", "本站", "本机关", "本单位", "政府信息公开年报"})
# The report's first section opens with the body as its subject (一、总体情况 2019年，浔阳区
# 坚持…; 上海市科委 2024 年深入贯彻…).
_OPENING = re.compile(
    r"[一1]\s*[、.．]\s*(?:总体情况|概述|概况|基本情况)\s*"
    r"(?:(?:19|20)\d{2}\s*年度?(?:以来)?\s*[,，、]?\s*)?([\u4e00-\u9fff（）()·]{2,40})"
)
_OPENING_LENGTH = 12  # a subject longer than this runs on into the sentence
_OPENING_KINDS = frozenset({"government", "government_office", "special_zone"})


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    short_name: str
    level: str
    parent_code: str
    first_year: int
    last_year: int


@dataclass(frozen=True)
class AgencyMatch:
    """The documents row's agency_* columns."""

    name: str | None  # canonical name: the division as matched + the body's canonical remainder
    division_code: str | None
    kind: str | None
    township: str | None
    method: str
    evidence: str | None  # the printed string the match was read from, with where it was printed
    note: str | None
    scope: str | None = None  # "area" when the report speaks for its whole area (全县 …)

    def as_row(self) -> dict[str, str | None]:
        return {
            "agency_name": self.name,
            "agency_division_code": self.division_code,
            "agency_kind": self.kind,
            "agency_township": self.township,
            "agency_match_method": self.method,
            "agency_match_evidence": self.evidence,
            "agency_match_note": self.note,
            "agency_report_scope": self.scope,
        }


@cache
def divisions() -> dict[str, Division]:
    return {
        row["division_code"]: Division(
            code=row["division_code"],
            name=row["division_name"],
            short_name=row["short_name"],
            level=row["division_level"],
            parent_code=row["parent_code"],
            first_year=int(row["first_year"]),
            last_year=int(row["last_year"]),
        )
        for row in read_seed("divisions.csv")
    }


@dataclass(frozen=True)
class _Name:
    code: str
    is_current_full_name: bool
    first_year: int
    last_year: int


@cache
def _names() -> dict[str, tuple[_Name, ...]]:
    """Every printed form of a division -> the divisions it may be: full names, former names
    and short names (a short name only where it stays two characters or more)."""
    found: dict[str, set[_Name]] = defaultdict(set)
    current = divisions()
    for row in read_seed("division_names.csv"):
        code = row["division_code"]
        is_current = row["name"] == current[code].name
        found[row["name"]].add(
            _Name(code, is_current, int(row["first_year"]), int(row["last_year"]))
        )
    for division in current.values():
        if len(division.short_name) >= 2 and division.short_name != division.name:
            found[division.short_name].add(
                _Name(division.code, False, division.first_year, division.last_year)
            )
    return {name: tuple(sorted(options, key=lambda n: n.code)) for name, options in found.items()}


@cache
def _field_pattern() -> tuple[re.Pattern[str], frozenset[str], re.Pattern[str]]:
    """The 发布机构 / 来源 fields of a page's metadata block (seeds/metadata_labels.csv), the
    labels that are 来源 lines, and a pattern of the labels alone (a line without one holds
    no field: a quicker test than the field pattern). A value ends where the next field's
    label starts, for text extraction (PDF) that lost the space between them
    (来源：平潭县人民政府时间：2023-02-20)."""
    rows = read_seed("metadata_labels.csv")
    body = [row["label"] for row in rows if row["field"] in ("agency", "agency_source")]
    others = [row["label"] for row in rows if row["field"] not in ("agency", "agency_source")]
    alternatives = "|".join(map(re.escape, sorted(body, key=len, reverse=True)))
    stops = "|".join(map(re.escape, sorted(others, key=len, reverse=True)))
    name = r"[\u4e00-\u9fff（）()·]"
    pattern = re.compile(
        rf"(?:^|(?<=[\s|：:]))({alternatives})\s*[:：]?\s*\|?\s*(?:本网)?\s*"
        rf"({name}{{3,40}}?)(?=(?:{stops})\s*[:：]|[^\u4e00-\u9fff（）()·]|$)"
    )
    sources = frozenset(row["label"] for row in rows if row["field"] == "agency_source")
    return pattern, sources, re.compile(alternatives)


@cache
def _townships() -> dict[str, tuple[str, ...]]:
    """Township or street name -> the divisions (counties) that have one so named."""
    found: dict[str, set[str]] = defaultdict(set)
    for row in read_seed("townships.csv"):
        found[row["township_name"]].add(row["division_code"])
    return {name: tuple(sorted(codes)) for name, codes in found.items()}


@cache
def _confusables() -> dict[str, frozenset[str]]:
    """Printed character -> the characters OCR commonly reads it for (seeds/ocr_confusables.csv)."""
    found: dict[str, set[str]] = defaultdict(set)
    for row in read_seed("ocr_confusables.csv"):
        found[row["printed"]].add(row["intended"])
    return {printed: frozenset(intended) for printed, intended in found.items()}


@cache
def _kind_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    rows = sorted(read_seed("agency_kinds.csv"), key=lambda r: int(r["match_order"]))
    return tuple((row["agency_kind"], re.compile(row["remainder_pattern"])) for row in rows)


@cache
def _suffixes_dropped() -> dict[str, re.Pattern[str]]:
    """Kind -> the end of the canonical name that names the same body (a zone's committee and
    its office publish as the zone: seeds/agency_kinds.csv name_suffix_dropped)."""
    return {
        row["agency_kind"]: re.compile(row["name_suffix_dropped"])
        for row in read_seed("agency_kinds.csv")
        if row["name_suffix_dropped"]
    }


@cache
def _variants() -> tuple[re.Pattern[str], dict[str, str]]:
    rows = read_seed("agency_name_variants.csv")
    mapping = {row["printed"]: row["canonical"] for row in rows}
    # Canonical forms map to themselves so that a longer canonical form is kept whole
    # (人民政府办公室 is not 人民 + 政府办 + 公室).
    mapping.update({row["canonical"]: row["canonical"] for row in rows})
    alternatives = sorted(mapping, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, alternatives))), mapping


def normalize_name(text: str) -> str:
    """NFKC, no spaces or punctuation other than brackets: the form names are compared in."""
    folded = unicodedata.normalize("NFKC", text)
    return _CANDIDATE_CHARS.sub("", folded).replace("(", "（").replace(")", "）")


def canonical_remainder(remainder: str) -> str:
    pattern, mapping = _variants()
    return pattern.sub(lambda match: mapping[match.group(0)], remainder)


def agency_kind(remainder: str) -> str:
    canonical = canonical_remainder(remainder)
    for kind, pattern in _kind_patterns():
        if pattern.search(canonical):
            return kind
    return "other"


# ---------------------------------------------------------------- candidates


def candidates(lines: list[str], title: str | None) -> list[tuple[str, str]]:
    """(where, printed name) in the order we trust them: the title's subject says whose report
    it is; the 发布机构 field, the signature, the subject of the report's opening sentence and
    the 来源 line (often the site's owner) say who published it."""
    found: list[tuple[str, str]] = []
    if title:
        subject = _title_subject(title)
        if subject:
            found.append(("title", subject))
    nonblank = [line.strip() for line in lines if line.strip()]
    fields: list[tuple[str, str]] = []
    field_pattern, source_labels, any_label = _field_pattern()
    for line in nonblank[:80]:
        # A page whose text runs together keeps its metadata at the start of a long line;
        # further in, a label is narrative (信息来源单位), not a field.
        head = line if len(line) < 200 else line[:400]
        if any_label.search(head) is None:
            continue
        for match in field_pattern.finditer(head):
            where = "source" if match.group(1) in source_labels else "field"
            fields.append((where, match.group(2)))
    found.extend(field for field in fields if field[0] == "field")
    signature = _signature(nonblank)
    if signature:
        found.append(("signature", signature))
    opening = _opening_subject(nonblank)
    if opening:
        found.append(("opening", opening))
    found.extend(field for field in fields if field[0] == "source")
    cleaned = [(where, normalize_name(name)) for where, name in found]
    return [(where, name) for where, name in cleaned if len(name) >= 2 and name not in _NOT_A_BODY]


def _title_subject(title: str) -> str | None:
    compact = re.sub(r"\s+", "", unicodedata.normalize("NFKC", title))
    after_year = _TITLE_SUBJECT_AFTER_YEAR.match(compact)
    if after_year and after_year.group(1):
        return after_year.group(1)
    before_year = _TITLE_SUBJECT.match(compact)
    if before_year and before_year.group(1):
        return before_year.group(1)
    return None


def _opening_subject(nonblank: list[str]) -> str | None:
    """The division and body that open the first section (鹿城区人民政府办公室紧紧围绕… gives
    鹿城区人民政府办公室): the divisions, then the whole word run when it is short and reads as a
    body, else the longest start of it that is a government, its office or a zone."""
    text = "\n".join(nonblank)
    match = _OPENING.search(text)
    if match is None:
        return None
    run = normalize_name(match.group(1))
    chain = _division_chain(run, None, text)
    if chain is None:
        return None
    rest = run[len(chain.printed) :]
    if len(rest) <= _OPENING_LENGTH and agency_kind(rest) != "other":
        return run
    for length in range(min(_OPENING_LENGTH, len(rest)), 0, -1):
        if agency_kind(rest[:length]) in _OPENING_KINDS:
            return chain.printed + rest[:length]
    return chain.printed


def _signature(nonblank: list[str]) -> str | None:
    """A body's name on the line before the closing date (沭阳县人民政府 / 2026年1月23日)."""
    for index in range(len(nonblank) - 1, max(len(nonblank) - 30, 0), -1):
        if _SIGNATURE_DATE.match("".join(nonblank[index].split())) and index > 0:
            name = normalize_name(nonblank[index - 1])
            if 3 <= len(name) <= 30:
                return name
    return None


# ---------------------------------------------------------------- matching


@dataclass(frozen=True)
class _Chain:
    codes: tuple[str, ...]  # from the outermost printed division to the innermost
    printed: str  # the characters of the name taken by the divisions
    method: str
    note: str | None


def match_agency(lines: list[str], title: str | None, report_year: int | None) -> AgencyMatch:
    """The issuing body of one document, from its page text and title."""
    text = "".join(line.strip() for line in lines)
    found = candidates(lines, title)
    # A title that names a division it cannot settle (two 和平区) still says which it may be:
    # a later candidate must be one of them, never another division.
    title_options: frozenset[str] = frozenset()
    for where, printed in found:
        match = _match_name(printed, report_year, text)
        if match is None and where == "title":
            options = _options_at(printed, 0, None, report_year)
            title_options = frozenset(o.code for o in options[1]) if options else frozenset()
        if match is not None and title_options and not title_options & set(match[0].codes):
            continue
        if match is not None:
            chain, remainder = match
            kind = agency_kind(remainder)
            canonical = canonical_remainder(remainder)
            township = _township(canonical) if kind in TOWNSHIP_KINDS else None
            name = (
                _township_name(township, kind)
                if township is not None
                else _display_name(chain, canonical, kind)
            )
            return AgencyMatch(
                name=name,
                division_code=chain.codes[-1] if chain.codes else None,
                kind=kind,
                township=township,
                method=chain.method,
                evidence=f"{where}: {printed}",
                note=chain.note,
                scope=report_scope(text),
            )
    evidence = "; ".join(f"{where}: {printed}" for where, printed in found) or None
    return AgencyMatch(None, None, None, None, METHOD_UNMATCHED, evidence, None, report_scope(text))


@cache
def _scope_markers() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (row["report_scope"], re.compile(row["pattern"]))
        for row in read_seed("report_scope_markers.csv")
    )


def report_scope(text: str) -> str | None:
    """ "area" when the narrative speaks for the whole area (全县共受理政府信息公开申请 …, 全区各级
    行政机关): the report is then an aggregate of its area's bodies (rule R14)."""
    compact = "".join(text.split())  # the same as deleting every \s, several times faster
    for scope, pattern in _scope_markers():
        if pattern.search(compact):
            return scope
    return None


def _display_name(chain: _Chain, canonical: str, kind: str) -> str:
    """The innermost division by its current name (or by the short name the body is named
    with, as in 平潭综合实验区), then the canonical remainder."""
    if not chain.codes:
        return canonical
    division = divisions()[chain.codes[-1]]
    short = division.short_name
    printed_short = chain.method != METHOD_FUZZY and chain.printed.endswith(short)
    prefix = short if printed_short and not chain.printed.endswith(division.name) else division.name
    if kind == "government":
        return prefix + "人民政府"
    dropped = _suffixes_dropped().get(kind)
    if dropped is not None:
        canonical = dropped.sub("", canonical, count=1) or canonical
    return prefix + canonical


def _township_name(township: str, kind: str) -> str:
    return township + ("人民政府" if kind == "township_government" else "办事处")


def _township(canonical: str) -> str | None:
    match = re.match(r"^(.{1,8}?(?:街道|民族乡|镇|乡|苏木))", canonical)
    return match.group(1) if match else None


def _match_name(printed: str, year: int | None, text: str) -> tuple[_Chain, str] | None:
    """Split a printed name into its divisions and the remainder; None if nothing fits."""
    chain = _division_chain(printed, year, text)
    if chain is not None:
        return chain, printed[len(chain.printed) :]
    fuzzy = _fuzzy_chain(printed, year, text)
    if fuzzy is not None:
        return fuzzy
    # A township or street body that prints no county: the county that has a township of
    # that name, or (for a name many counties have, or one the township data lacks) the
    # county its text names most.
    if agency_kind(printed) in TOWNSHIP_KINDS:
        township = _township(canonical_remainder(printed))
        counties = _townships().get(township or "", ())
        county = counties[0] if len(counties) == 1 else _county_among(counties, text)
        if county is not None:
            only = len(counties) == 1
            note = f"{township}: the only township so named (seeds/townships.csv)" if only else None
            return _Chain((county,), "", METHOD_TOWNSHIP, note), printed
        county = _county_named_in(text, year)
        if county is not None and (not counties or county in counties):
            chain = _Chain((county,), "", METHOD_CONTEXT, None)
            return chain, printed
    return None


def _county_among(counties: tuple[str, ...], text: str) -> str | None:
    """Of the counties that have a township of the printed name, the one the text names
    (itself, its prefecture or its province) most; None when none leads."""
    if len(counties) < 2:
        return None
    scores = Counter({code: _mentions(code, text) for code in counties})
    (best, best_score), *rest = scores.most_common()
    return best if best_score > 0 and rest[0][1] < best_score else None


def _mentions(code: str, text: str) -> int:
    division = divisions()[code]
    own = text.count(division.name) + (
        text.count(division.short_name) if len(division.short_name) >= 2 else 0
    )
    return own + _ancestor_mentions(code, text)


def _division_chain(printed: str, year: int | None, text: str) -> _Chain | None:
    codes: list[str] = []
    at = 0
    method = METHOD_DIVISION_KIND
    notes: list[str] = []
    while at < len(printed):
        options = _options_at(printed, at, codes[-1] if codes else None, year)
        if not options:
            break
        form, names = options
        code = _pick(names, year, text)
        if code is None:
            break
        chosen = next(n for n in names if n.code == code)
        if not chosen.is_current_full_name:
            method = METHOD_ALIAS
            if year is not None and not chosen.first_year <= year <= chosen.last_year:
                notes.append(f"{form}: a name of {chosen.first_year}-{chosen.last_year}")
        codes.append(code)
        at += len(form)
    if not codes:
        return None
    return _Chain(tuple(codes), printed[:at], method, "; ".join(notes) or None)


def _options_at(
    printed: str, at: int, parent: str | None, year: int | None
) -> tuple[str, tuple[_Name, ...]] | None:
    """The longest division name printed at `at` that lies inside `parent` (if any)."""
    names = _names()
    for length in range(min(12, len(printed) - at), 1, -1):
        form = printed[at : at + length]
        options = names.get(form)
        if not options:
            continue
        rest = printed[at + length :]
        if (
            form not in _full_names()
            and agency_kind(rest) in TOWNSHIP_KINDS
            and rest[:1] in ("镇乡街")
        ):
            continue  # 东城街道 is a street of some county, not 东城区
        inside = tuple(o for o in options if parent is None or _is_inside(o.code, parent))
        if inside:
            return form, inside
    return None


@cache
def _full_names() -> frozenset[str]:
    return frozenset(
        name for name, options in _names().items() if any(o.is_current_full_name for o in options)
    ) | frozenset(row["name"] for row in read_seed("division_names.csv"))


def _is_inside(code: str, ancestor: str) -> bool:
    current = divisions().get(code)
    while current is not None and current.parent_code:
        if current.parent_code == ancestor:
            return True
        current = divisions().get(current.parent_code)
    return False


def _pick(options: tuple[_Name, ...], year: int | None, text: str) -> str | None:
    """One division among same-named ones: the one valid that year, full names first, then
    the one whose province or prefecture the document names most; None if still a tie."""
    codes = sorted({o.code for o in options})
    if len(codes) == 1:
        return codes[0]
    if year is not None:
        in_force = sorted({o.code for o in options if o.first_year <= year <= o.last_year})
        codes = in_force or codes
    full = sorted({o.code for o in options if o.is_current_full_name and o.code in codes})
    codes = full or codes
    if len(codes) == 1:
        return codes[0]
    scores = Counter({code: _ancestor_mentions(code, text) for code in codes})
    (best, best_score), *rest = scores.most_common()
    if best_score > 0 and (not rest or rest[0][1] < best_score):
        return best
    return None


def _ancestor_mentions(code: str, text: str) -> int:
    count = 0
    current = divisions().get(divisions()[code].parent_code)
    while current is not None:
        count += text.count(current.name) + (
            text.count(current.short_name) if len(current.short_name) >= 2 else 0
        )
        current = divisions().get(current.parent_code)
    return count


def _fuzzy_chain(printed: str, year: int | None, text: str) -> tuple[_Chain, str] | None:
    """A county-level name at the start misread in one character (沐阳县 -> 沭阳县)."""
    names = _names()
    confusables = _confusables()
    for length in range(min(8, len(printed)), 2, -1):
        form = printed[:length]
        if form[-1] not in _DIVISION_SUFFIXES:
            continue
        found = {
            form[:at] + intended + form[at + 1 :]
            for at in range(length - 1)
            for intended in confusables.get(form[at], ())
        } & names.keys()
        options = tuple(option for name in sorted(found) for option in _names()[name])
        if not options:
            continue
        code = _pick(options, year, text)
        if code is None:
            continue
        right = next(name for name in sorted(found) if any(o.code == code for o in _names()[name]))
        note = f"printed {form}: no such division; read as {right} (OCR confusable)"
        chain = _Chain((code,), form, METHOD_FUZZY, note)
        return chain, printed[length:]
    return None


def _county_named_in(text: str, year: int | None) -> str | None:
    """The county-level division whose full name the text prints most often, if one leads."""
    counts: Counter[str] = Counter()
    for name, options in _names().items():
        if name in _full_names() and name[-1] in "区县市旗" and len(name) >= 3:
            hits = text.count(name)
            if hits:
                county = [o.code for o in options if divisions()[o.code].level == "county"]
                if len(county) == 1:
                    counts[county[0]] += hits
    if not counts:
        return None
    (best, best_hits), *rest = counts.most_common()
    return best if not rest or rest[0][1] < best_hits else None
