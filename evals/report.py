"""Write a run's results: JSON for machines (`compare`), HTML for people (a transcript per case, failures first)."""

from __future__ import annotations

import json
from pathlib import Path

from evals.results import EvalResult

TEMPLATES = Path(__file__).with_name("templates")


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} ms"


def money(value: float | None) -> str:
    return "—" if value is None else f"${value:.4f}"


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
    return template.render(result=result, pct=pct, ms=ms, money=money, show_tokens=show_tokens)


def write_html(result: EvalResult, path: Path) -> None:
    path.write_text(render_html(result), encoding="utf-8")


def write_json(result: EvalResult, path: Path) -> None:
    path.write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
