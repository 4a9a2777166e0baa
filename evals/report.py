"""Write a run's results: JSON for machines (`compare`), HTML for people (a transcript per case, failures first)."""

from __future__ import annotations

import json
from pathlib import Path

from evals.results import YARDSTICK_MEASURES, YARDSTICK_SPLITS, EvalResult, Metrics

TEMPLATES = Path(__file__).with_name("templates")


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} ms"


def money(value: float | None) -> str:
    return "—" if value is None else f"${value:.4f}"


YARDSTICK_LABELS = {
    "joint_slot_accuracy": "joint slots",
    "visit_accuracy": "visit (property and date)",
    "visit_date_accuracy": "visit date",
}


def yardstick_rows(metrics: Metrics) -> list[tuple[str, list[str]]]:
    """The SGD yardstick as rows (figure; overall, named, offered), each cell `84.0% (21/25)`; [] when none."""
    rows = []
    for measure in YARDSTICK_MEASURES:
        if measure not in metrics.yardstick:
            continue
        cells = []
        for key in (measure, *(f"{measure}:{split}" for split in YARDSTICK_SPLITS)):
            count = metrics.yardstick_counts.get(key)
            cells.append(f"{pct(metrics.yardstick.get(key))} ({count[0]}/{count[1]})" if count else "—")
        rows.append((YARDSTICK_LABELS[measure], cells))
    return rows


def yardstick_summary(metrics: Metrics) -> str:
    """One line for the console: `joint slots 52.1% (180/345) [named 2/3, offered 170/338]; …`."""
    parts = []
    for label, (overall, named, offered) in yardstick_rows(metrics):
        parts.append(f"{label} {overall} [named {named}, offered {offered}]")
    return "; ".join(parts)


def render_html(result: EvalResult) -> str:
    """The HTML report; everything the system or a case wrote is escaped (transcripts hold hostile text)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = env.get_template("report.html.j2")
    show_tokens = any(suite.metrics.tokens_in or suite.metrics.cost_usd for suite in result.suites)
    return template.render(
        result=result,
        pct=pct,
        ms=ms,
        money=money,
        show_tokens=show_tokens,
        yardstick_rows=yardstick_rows,
    )


def write_html(result: EvalResult, path: Path) -> None:
    path.write_text(render_html(result), encoding="utf-8")


def write_json(result: EvalResult, path: Path) -> None:
    path.write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
