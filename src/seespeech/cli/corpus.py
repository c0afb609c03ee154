"""``seespeech transcribe ... --ray [ADDRESS]``: the same inputs, formats and options as the
local command, spread over a Ray cluster (``cluster.py``), resumable, with a results table."""

from __future__ import annotations

import time
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from seespeech.speech.cluster import RESULT_COLUMNS, RESULTS_FILE, CorpusInput, CorpusRun, complete, previous_rows, row_from_outputs
from seespeech.cli.app import LogProgress, err_console


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.2f} h" if seconds >= 360 else f"{seconds / 60:.1f} min"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def transcribe_on_ray(jobs, run: CorpusRun, address: str, overwrite: bool, results: Path | None,
                      output_dir: Path | None, quiet: bool) -> int:
    """Run the planned ``jobs`` (``speech.FilePlan``) on Ray; return the exit code."""
    import seespeech.speech.cluster as cluster

    table = results or (output_dir or Path(".")) / RESULTS_FILE
    earlier = previous_rows(table)
    rows: dict[str, dict] = {}
    pending: list[CorpusInput] = []
    sources: list[str] = []   # each input as the table names it, in the order given
    for job in jobs:
        source = str(Path(job.source).resolve()) if not job.problem else job.source
        sources.append(source)
        item = CorpusInput(source, {fmt: str(Path(p).resolve()) for fmt, p in job.outputs.items()})
        if job.problem:
            rows[source] = {**{c: None for c in RESULT_COLUMNS}, "path": source, "error": job.problem,
                            "warnings": "[]"}
            if not quiet:
                err_console.print(f"[red]✗[/] {source}: {job.problem}", soft_wrap=True, highlight=False)
        elif complete(item.outputs) and not overwrite:
            rows[source] = earlier.get(source) or row_from_outputs(item)   # done by an earlier run
        else:
            pending.append(item)
    skipped = len(rows) - sum(1 for r in rows.values() if r.get("error"))
    if not quiet:
        err_console.print(f"{len(jobs)} inputs: {len(pending)} to transcribe, {skipped} done before"
                          f"{', ' + str(len(rows) - skipped) + ' unusable' if len(rows) > skipped else ''}",
                          highlight=False)
    started = time.monotonic()
    audio = 0.0
    failed = [r for r in rows.values() if r.get("error")]
    nodes: list[str] = []   # the Ray nodes that returned a row, in the order they first did
    log = LogProgress()
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[status]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                        console=err_console, disable=quiet or not err_console.is_terminal, transient=True)

    def status() -> str:
        wall = time.monotonic() - started
        speed = f" · {audio / wall:.1f} h of audio an hour" if wall > 1 and audio else ""
        return f"audio {_hours(audio)}{speed}"

    try:
        with progress:
            task = progress.add_task("files", total=len(pending), status=status())

            def on_row(row: dict) -> None:
                nonlocal audio
                audio += row.get("duration") or 0.0
                if row.get("node") and row["node"] not in nodes:
                    nodes.append(row["node"])
                    if not quiet:   # on a cluster: which machines are working, as each starts to
                        progress.console.print(f"node {row['node'][:12]} is working ({_count(len(nodes), 'node')})",
                                               highlight=False)
                if row.get("error"):
                    failed.append(row)
                    if not quiet:
                        progress.console.print(f"[red]✗[/] {row['error']}", soft_wrap=True, highlight=False)
                progress.update(task, advance=1, status=status())
                done = int(progress.tasks[0].completed)
                if not quiet:
                    log.update("files", done, len(pending), status())

            if pending:
                for row in cluster.run_corpus(pending, run, address, on_row):
                    rows[row["path"]] = row
    finally:
        cluster.shutdown()
    cluster.write_results(table, [rows[p] for p in dict.fromkeys(sources) if p in rows])
    wall = time.monotonic() - started
    transcribed = len(pending) - sum(1 for r in failed if r["path"] in {item.source for item in pending})
    if not quiet:
        speed = f", {audio / wall:.1f}× real time" if pending and wall > 0 else ""
        where = f" on {_count(len(nodes), 'node')}" if nodes else ""
        err_console.print(f"[green]✓[/] {transcribed} transcribed{where} ({_hours(audio)} of audio in {wall:.0f} s{speed}), "
                          f"{skipped} done before, {len(failed)} failed → {table}", soft_wrap=True, highlight=False)
    if not failed:
        return 0
    # one input: its own error's exit code, as the local command gives; several: 1
    return (failed[0].get("exit_code") or (3 if jobs[0].problem else 1)) if len(jobs) == 1 else 1
