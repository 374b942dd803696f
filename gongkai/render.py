"""Render one report's tables in the layouts government pages use, for layout tests.

The report's values come from a golden file; labels from the seed dictionary. Each layout is
written the way real pages print it (see corpus/sample for the originals).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from ingest.tables.labels import column_labels, row_labels, template_rows

Cell = tuple[str, int, int]  # text, rowspan, colspan
PrintedRow = list[Cell]

APPLICANT_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
CAPTIONS = {
    "regulations": "第二十条第（一）项",
    "admin_licensing": "第二十条第（五）项",
    "admin_penalty": "第二十条第（六）项",
    "admin_fees": "第二十条第（八）项",
    "centralized_procurement": "第二十条第（九）项",
}


def golden_values(path: Path) -> dict[tuple[str, str], list[str]]:
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            table, row, *cells = line.split()
            values[(table, row)] = cells
    return values


def printed_tables(
    template: str,
    values: dict[tuple[str, str], list[str]],
    application_rows: list[tuple[str, str]] | None = None,
) -> dict[str, list[PrintedRow]]:
    """table_code -> printed rows (header rows included) with spans as the official format.

    `application_rows` prints the applications table with other rows than the template's, as
    (row code whose values to print, label as printed) in order: a row set as real reports
    vary it (a 2019 row in a 2021 table, a row dropped, repeated or misspelt, a lost label).
    """
    if application_rows is None:
        application_rows = [
            (spec.row_code, row_labels()[("applications", spec.row_code)]["label_zh"])
            for spec in template_rows(template, "applications")
        ]
    return {
        "proactive": _proactive(template, values),
        "applications": _applications(template, values, application_rows),
        "reviews_litigation": _reviews(values),
    }


def _value_cells(values: list[str]) -> list[Cell]:
    return [(v, 1, 1) for v in values]


def _proactive(template: str, values: dict) -> list[PrintedRow]:
    rows: list[PrintedRow] = []
    for spec in template_rows(template, "proactive"):
        if spec.row_code in CAPTIONS:
            rows.append([(CAPTIONS[spec.row_code], 1, 4)])
            headers = [column_labels()[("proactive", c)]["label_zh"] for c in spec.columns]
            span = 3 // len(spec.columns) if len(spec.columns) < 3 else 1
            rows.append([("信息内容", 1, 1)] + [(h, 1, span) for h in headers])
        cells = values[("proactive", spec.row_code)]
        span = 3 // len(cells) if len(cells) < 3 else 1
        rows.append(
            [(row_labels()[("proactive", spec.row_code)]["label_zh"], 1, 1)]
            + [(v, 1, span) for v in cells]
        )
    return rows


_FLOW_ROWS = ("new_received", "carried_over", "carried_forward")


def _applications(
    template: str, values: dict, application_rows: list[tuple[str, str]]
) -> list[PrintedRow]:
    columns = template_rows(template, "applications")[0].columns
    rows: list[PrintedRow] = [
        [(APPLICANT_NOTE, 3, 3), ("申请人情况", 1, 7)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        [(column_labels()[("applications", c)]["label_zh"], 1, 1) for c in columns[1:6]],
    ]
    outcome_rows = [(code, label) for code, label in application_rows if code not in _FLOW_ROWS]
    seen_groups: set[str] = set()
    for index, (code, label) in enumerate(application_rows):
        cells: PrintedRow = []
        if code in _FLOW_ROWS:
            cells.append((label, 1, 3))
        else:
            if (
                outcome_rows
                and (code, label) == outcome_rows[0]
                and index == _first(application_rows, outcome_rows[0])
            ):
                cells.append(("三、本年度办理结果", len(outcome_rows), 1))
            if " " in label:
                group, item = label.split(" ", 1)
                if group not in seen_groups:
                    seen_groups.add(group)
                    size = _group_size(application_rows[index:], group)
                    cells.append((group, size, 1))
                cells.append((item, 1, 1))
            else:
                cells.append((label, 1, 2))
        rows.append(cells + _value_cells(values[("applications", code)]))
    return rows


def _first(rows: list[tuple[str, str]], row: tuple[str, str]) -> int:
    return rows.index(row)


def _group_size(rows: list[tuple[str, str]], group: str) -> int:
    """Consecutive rows from here whose label starts with the group's heading."""
    size = 0
    for _, label in rows:
        if not label.startswith(group + " "):
            break
        size += 1
    return size


def _reviews(values: dict) -> list[PrintedRow]:
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    flat = [
        v
        for p in ("admin_review", "lawsuit_direct", "lawsuit_after_review")
        for v in values[("reviews_litigation", p)]
    ]
    return [
        [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
        [(r, 2, 1) for r in results] + [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
        [(r, 1, 1) for r in results * 2],
        _value_cells(flat),
    ]


HEADINGS = {
    "proactive": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "reviews_litigation": "四、政府信息公开行政复议、行政诉讼情况",
}
PREAMBLE = (
    "连云区人民政府2024年政府信息公开工作年度报告\n发布日期：2025-02-20\n"
    "一、总体情况\n本年度工作情况良好。"
)
EPILOGUE = "五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。"


def render(layout: str, tables: dict[str, list[PrintedRow]]) -> str:
    parts = [PREAMBLE]
    for table, rows in tables.items():
        parts.append(HEADINGS[table])
        parts.append(_RENDERERS[layout](table, rows))
    parts.append(EPILOGUE)
    joiner = "\n\n" if layout == "blank_line" else "\n"
    return joiner.join(parts)


def _html(table: str, rows: list[PrintedRow]) -> str:
    def td(text: str, rowspan: int, colspan: int) -> str:
        attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
            f' colspan="{colspan}"' if colspan > 1 else ""
        )
        # Word exports break long labels with <br> and print blanks as &nbsp;.
        body = escape(text).replace("数量", "<br/>数量") if text else "&nbsp;"
        return f"<td{attrs}><p><span>{body}</span></p></td>"

    body = "".join("<tr>" + "".join(td(*cell) for cell in row) + "</tr>" for row in rows)
    return f'<table border="1"><tbody>{body}</tbody></table>'


def _pipe(table: str, rows: list[PrintedRow]) -> str:
    lines = []
    for row in rows:
        lines.append("|")
        lines.extend(f"{text} |" for text, _, _ in row)
    return "\n".join(lines)


def _newline(table: str, rows: list[PrintedRow]) -> str:
    return "\n".join(text for row in rows for text, _, _ in row)


def _blank_line(table: str, rows: list[PrintedRow]) -> str:
    return "\n\n".join(
        text.replace("不予公开", "不予\n\n公开") for row in rows for text, _, _ in row
    )


def _markdown(table: str, rows: list[PrintedRow]) -> str:
    lines = []
    for index, row in enumerate(rows):
        cells = [text for text, _, _ in row]
        # Markdown has no rowspan: continuation rows of a group start with empty cells.
        if (
            table == "applications"
            and index > 3
            and not row[0][0].startswith(("一、", "二、", "四、", "三、"))
        ):
            cells = [""] + cells
        lines.append("| " + " | ".join(cells) + " |")
        if index == 0:
            lines.append("|" + "---|" * len(cells))
    return "\n".join(lines)


def _run_together(table: str, rows: list[PrintedRow]) -> str:
    # Proactive cells keep the single spaces real pages keep there; the other tables run on.
    separator = " " if table == "proactive" else ""
    return separator.join(text for row in rows for text, _, _ in row)


_RENDERERS = {
    "html": _html,
    "pipe": _pipe,
    "newline": _newline,
    "blank_line": _blank_line,
    "markdown": _markdown,
    "run_together": _run_together,
}
LAYOUTS = tuple(_RENDERERS)


def scanned(
    pdf: bytes,
    dpi: int = 150,
    skew: float = 0.6,
    seed: int = 7,
    blur: float = 0.8,
    speckle: int = 800,
) -> bytes:
    """A scan of a printed PDF: pages as grey images at `dpi`, slightly skewed, blurred and
    speckled (one speck per `speckle` pixels, none for 0; deterministic for a seed), in a PDF
    without text layer."""
    import io
    import random

    import pypdfium2
    from PIL import Image, ImageFilter

    document = pypdfium2.PdfDocument(pdf)
    pages = []
    rnd = random.Random(seed)
    for page in document:
        image = page.render(scale=dpi / 72).to_pil().convert("L")
        if skew:
            image = image.rotate(skew, resample=Image.BICUBIC, fillcolor=255)
        if blur:
            image = image.filter(ImageFilter.GaussianBlur(blur))
        pixels = image.load()
        for _ in range(image.width * image.height // speckle if speckle else 0):
            x, y = rnd.randrange(image.width), rnd.randrange(image.height)
            pixels[x, y] = rnd.choice((0, 60, 200, 255))
        pages.append(image)
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return out.getvalue()
