"""`realty eval`: run suites and grade them; compare two runs; turn dialogue sets into suites.
`realty transcripts`: export recorded conversations and grade them."""

from __future__ import annotations

import fnmatch
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from agent.cli.common import console, err_console, fail, run

if TYPE_CHECKING:
    from evals.results import EvalResult
    from evals.suite import Suite

EXIT_THRESHOLD_MISSED = 1
EXIT_BAD_SUITE = 2
FAILURES_SHOWN = 15


class _RunByDefault(TyperGroup):
    """`realty eval PATH...` means `realty eval run PATH...`; named subcommands keep their names."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_RunByDefault,
    help="Run eval suites (`realty eval evals/suites`), compare runs, convert dialogue sets into suites.",
    no_args_is_help=True,
)
transcripts_app = typer.Typer(help="Export recorded conversations and grade them.", no_args_is_help=True)


def _load_suites(paths: list[Path], case_patterns: list[str]) -> list[Suite]:
    from evals.suite import SuiteError, load_suite, suite_files

    suites: list[Suite] = []
    problems: list[str] = []
    files = suite_files(paths)
    if not files:
        raise fail("no suite files found (give .yaml files or folders that hold them)", EXIT_BAD_SUITE)
    for file in files:
        try:
            suite = load_suite(file)
        except SuiteError as exc:
            problems.extend(str(issue) for issue in exc.issues)
            continue
        if case_patterns:
            cases = [c for c in suite.cases if any(fnmatch.fnmatch(c.id, p) for p in case_patterns)]
            if not cases:
                continue
            suite = suite.model_copy(update={"cases": cases})
        suites.append(suite)
    if problems:
        for problem in problems:
            err_console.print(f"[bold red]error:[/] {problem}", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_BAD_SUITE)
    if not suites:
        raise fail(f"no case matches {', '.join(case_patterns)}", EXIT_BAD_SUITE)
    return suites


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%".replace(".0%", "%")


def _print_summary(result: EvalResult) -> None:
    from rich.table import Table

    table = Table(
        title=f"realty eval — model {result.model}, {result.trials} trial(s), {result.duration_s:.1f} s"
    )
    table.add_column("suite", ratio=1)
    for column in ("cases", "pass", f"pass^{result.trials}", "min", "tools", "lang", "p50/p95 ms", "err"):
        table.add_column(column, justify="right", no_wrap=True, min_width=len(column))
    for suite in result.suites:
        m = suite.metrics
        mark = "[green]" if suite.met else "[red]"
        latency = "—" if m.latency_p50_ms is None else f"{m.latency_p50_ms:.0f}/{(m.latency_p95_ms or 0):.0f}"
        table.add_row(
            suite.name,
            str(m.cases),
            f"{mark}{_pct(m.pass_rate)}",
            _pct(m.pass_hat_k),
            _pct(suite.threshold),
            _pct(m.tool_accuracy),
            _pct(m.language_accuracy),
            latency,
            str(m.errors),
        )
    console.print(table)
    for suite in result.suites:
        if suite.metrics.slot_accuracy:
            slots = ", ".join(
                f"{name} {_pct(value)} ({suite.metrics.slot_counts[name][0]}/{suite.metrics.slot_counts[name][1]})"
                for name, value in suite.metrics.slot_accuracy.items()
            )
            console.print(f"[bold]{suite.name}[/] slots: {slots}", highlight=False)
        if suite.metrics.yardstick:
            from rich.markup import escape

            from evals.report import yardstick_summary

            line = escape(yardstick_summary(suite.metrics))
            console.print(f"[bold]{suite.name}[/] {line}", highlight=False)
        if suite.metrics.tokens_in or suite.metrics.cost_usd:
            cost = "" if suite.metrics.cost_usd is None else f", ${suite.metrics.cost_usd:.4f}"
            console.print(
                f"[bold]{suite.name}[/] tokens: {suite.metrics.tokens_in} in / {suite.metrics.tokens_out} out{cost}"
            )
        failing = [case for case in suite.ordered_cases() if case.pass_rate < 1]
        for case in failing[:FAILURES_SHOWN]:
            run_ = next(r for r in case.runs if not r.passed)
            reason = (
                run_.error.splitlines()[0]
                if run_.error
                else "; ".join(
                    f"{c.name}: expected {c.expected}, got {c.actual}" for c in run_.failed_checks[:2]
                )
            )
            console.print(f"  [red]✗[/] {suite.name} / {case.case_id}: {reason[:300]}", highlight=False)
        if len(failing) > FAILURES_SHOWN:
            console.print(f"  … and {len(failing) - FAILURES_SHOWN} more failing cases (see --report)")


@app.command("run")
def run_command(
    paths: Annotated[list[Path], typer.Argument(help="Suite files, or folders of them.")],
    model: Annotated[
        str, typer.Option(help="`offline`, or a model name at the configured endpoint.")
    ] = "offline",
    trials: Annotated[int, typer.Option(min=1, help="Runs per case (pass^k needs k >= 2).")] = 1,
    concurrency: Annotated[int, typer.Option(min=1, help="Cases played at once.")] = 4,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the results as JSON here.")] = None,
    report: Annotated[Path | None, typer.Option(help="Write the HTML report here.")] = None,
    case: Annotated[list[str], typer.Option(help="Only cases whose id matches (glob); repeatable.")] = [],  # noqa: B006
    route: Annotated[
        str, typer.Option(help="auto (Telegram bots when available), telegram or direct.")
    ] = "auto",
    price_in: Annotated[
        float | None, typer.Option(help="USD per 1M input tokens (cost with a real model).")
    ] = None,
    price_out: Annotated[float | None, typer.Option(help="USD per 1M output tokens.")] = None,
    keep_tenants: Annotated[
        bool, typer.Option(help="Keep each case's tenant in the database to inspect it.")
    ] = False,
) -> None:
    """Run suites and grade them. Exit 1 when a suite misses its threshold, 2 when a suite file is invalid."""
    if route not in ("auto", "telegram", "direct"):
        raise fail("--route is auto, telegram or direct", EXIT_BAD_SUITE)
    suites = _load_suites(paths, case)

    async def main() -> EvalResult:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from agent.services.provider import open_services
        from evals.runner import RunOptions, run_suites

        options = RunOptions(
            model=model,
            trials=trials,
            concurrency=concurrency,
            route=route,  # type: ignore[arg-type]
            keep_tenants=keep_tenants,
            price_in=price_in,
            price_out=price_out,
        )
        total = sum(len(s.cases) for s in suites) * trials
        columns = (
            TextColumn("[bold]eval"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed"),
            TimeElapsedColumn(),
        )
        async with open_services() as services:
            with Progress(*columns, console=err_console, transient=True) as progress:
                task = progress.add_task("eval", total=total, failed=0)
                failed = 0

                def done(case_run: Any) -> None:
                    nonlocal failed
                    failed += 0 if case_run.passed else 1
                    progress.update(task, advance=1, failed=failed)

                return await run_suites(services, suites, options, on_done=done)

    from evals.runner import ModelNotConfigured

    try:
        result = run(main)
    except ModelNotConfigured as exc:
        raise fail(str(exc), EXIT_BAD_SUITE) from None
    _print_summary(result)
    from evals.report import write_html, write_json

    if json_out is not None:
        write_json(result, json_out)
        console.print(f"results: {json_out}")
    if report is not None:
        write_html(result, report)
        console.print(f"report: {report}")
    missed = [suite.name for suite in result.suites if not suite.met]
    if missed:
        err_console.print(f"[bold red]threshold missed:[/] {', '.join(missed)}", highlight=False)
        raise typer.Exit(EXIT_THRESHOLD_MISSED)


@app.command("compare")
def compare_command(
    before: Annotated[Path, typer.Argument(help="Results JSON of the earlier run (A).")],
    after: Annotated[Path, typer.Argument(help="Results JSON of the later run (B).")],
    all_rows: Annotated[bool, typer.Option("--all", help="Also list what stayed the same.")] = False,
) -> None:
    """What got better and what got worse from A to B, per suite metric, slot and case. Exit 1 if anything got worse."""
    from rich.table import Table

    from evals.compare import compare, load_result

    try:
        a, b = load_result(before), load_result(after)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise fail(f"cannot read the results: {exc}", EXIT_BAD_SUITE) from None
    changes = compare(a, b)
    table = Table(title=f"{before.name} ({a.model}) → {after.name} ({b.model})")
    for column in ("suite", "what", "A", "B", ""):
        table.add_column(column)
    style = {
        "better": "[green]better",
        "worse": "[red]worse",
        "same": "[dim]same",
        "new": "[cyan]new",
        "gone": "[yellow]gone",
    }
    for change in changes:
        if change.verdict == "same" and not all_rows:
            continue
        table.add_row(
            change.suite,
            change.subject,
            _value(change.subject, change.before),
            _value(change.subject, change.after),
            style[change.verdict],
        )
    console.print(table)
    better = sum(c.verdict == "better" for c in changes)
    worse = sum(c.verdict == "worse" for c in changes)
    console.print(f"{better} better, {worse} worse, {sum(c.verdict == 'same' for c in changes)} unchanged")
    if worse:
        raise typer.Exit(1)


def _value(subject: str, value: float | None) -> str:
    if value is None:
        return "—"
    if subject.startswith("latency"):
        return f"{value:.0f} ms"
    if subject in ("errors",):
        return f"{value:.0f}"
    if subject == "cost_usd":
        return f"${value:.4f}"
    return _pct(value)


@app.command("convert-sgd")
def convert_sgd_command(
    files: Annotated[
        list[Path],
        typer.Argument(help="SGD-shaped dialogue files (.jsonl), e.g. shared/data/sgd_homes/*.jsonl."),
    ],
    out: Annotated[Path, typer.Option(help="The suite YAML to write.")] = Path("evals/suites/sgd_homes.yaml"),
    name: Annotated[str, typer.Option(help="The suite's name.")] = "SGD Homes (external)",
    threshold: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="The suite's pass-rate threshold.")
    ] = 0.0,
    sample: Annotated[
        int | None, typer.Option(help="Keep every n-th dialogue only, for a quick suite.")
    ] = None,
    clock: Annotated[
        str, typer.Option(help="When the replay happens (ISO date or time).")
    ] = "2019-03-01T10:00:00",
) -> None:
    """Turn SGD Homes-shaped dialogues (listings with `rent`, or `price` and `intent`; ScheduleVisit) into a suite YAML."""
    from evals.sgd import SgdError, convert_files

    try:
        report = convert_files(
            files, out, name=name, threshold=threshold, every=sample, clock=datetime.fromisoformat(clock)
        )
    except SgdError as exc:
        raise fail(str(exc), EXIT_BAD_SUITE) from None
    console.print(
        f"wrote {out}: {report.cases} cases from {report.dialogues} dialogues"
        + (f", {report.skipped} skipped ({'; '.join(report.reasons[:3])})" if report.skipped else "")
    )


@transcripts_app.command("export")
def export_command(
    since: Annotated[str, typer.Option(help="Conversations with messages at or after this ISO time.")],
    tenant: Annotated[str | None, typer.Option(help="Only this tenant (slug).")] = None,
) -> None:
    """Write recorded conversations as JSON Lines to standard output: `realty transcripts export --since 2026-03-01 > t.jsonl`."""
    import sys

    try:
        start = datetime.fromisoformat(since)
    except ValueError:
        raise fail(
            f"--since {since!r} is not an ISO date or time (e.g. 2026-03-01 or 2026-03-01T09:00+04:00)"
        ) from None

    async def main() -> int:
        from agent.services.provider import open_services
        from evals.transcripts import export_transcripts

        async with open_services() as services:
            return await export_transcripts(services, since=start, tenant_slug=tenant, out=sys.stdout)

    count = run(main)
    err_console.print(f"exported {count} conversation(s)")


@transcripts_app.command("grade")
def grade_command(
    file: Annotated[Path, typer.Argument(help="A JSON Lines file from `realty transcripts export`.")],
    judge: Annotated[
        bool, typer.Option(help="Also ask the configured model to judge (needs OPENAI_API_KEY).")
    ] = False,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write every grade as JSON here.")] = None,
    silent_after: Annotated[
        int, typer.Option(help="Minutes without a message after which a lead counts as silent.")
    ] = 120,
) -> None:
    """Grade recorded conversations: deterministic checks, plus LLM-as-judge rubrics with --judge."""
    from rich.table import Table

    from evals.transcripts import TranscriptFileError, grade_file

    async def main() -> Any:
        return await grade_file(file, judge=judge, silent_after_minutes=silent_after)

    try:
        report = run(main)
    except TranscriptFileError as exc:
        raise fail(str(exc), EXIT_BAD_SUITE) from None
    table = Table(title=f"{file.name}: {report.conversations} conversation(s)")
    for column in ("check", "passed", "failed", "n/a", "rate"):
        table.add_column(column, justify="left" if column == "check" else "right")
    for name, (passed, failed, skipped) in report.totals().items():
        rate = _pct(passed / (passed + failed)) if passed + failed else "—"
        table.add_row(name, str(passed), str(failed), str(skipped), rate)
    console.print(table)
    for note in report.notes:
        err_console.print(note, highlight=False)
    if json_out is not None:
        report.write_json(json_out)
        console.print(f"grades: {json_out}")
