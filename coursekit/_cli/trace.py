"""``course trace FILE``: run any program under the kit and draw its timeline (terminal, and ``--html``).

Why: learners want to see what their own experiments do (who printed what, when, who waited for whom), and
instructors writing an exercise want to see the run the kit will grade before they write a single check.  The
run is the graded one (same engine, same virtual clock, same limits); the picture is the one a failed check
draws, with one run instead of two.
"""

from __future__ import annotations

import ast
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from coursekit._judge import picture, runner
from coursekit._judge.timeline import Timeline, build
from coursekit._view import html, text
from coursekit.models import MODEL_NAMES
from coursekit.registry import Exercise, Limits, RegistryError, find_root, folder_model, load_course

DEFAULT_WIDTH = 100
"""Columns of the drawing when the output is not a terminal."""


@dataclass(frozen=True)
class TraceRun:
    """How a file is run, and why that way (told to the user, so that a wrong guess is easy to correct)."""

    spec: runner.RunSpec
    why: str


def exercise_of(path: Path) -> Exercise | None:
    """The course exercise whose student file or reference solution ``path`` is, if any."""
    root = find_root(path.parent)
    if root is None:
        return None
    try:
        course = load_course(root)
    except RegistryError:
        return None
    return next((ex for ex in course.exercises
                 if path in (ex.exercise_path.resolve(), ex.solution_path.resolve())), None)


def choose_run(path: Path, asked_model: str | None, call: str | None, tie: str) -> TraceRun:
    """An exercise's file runs as its grader runs it (entry point, arguments, driver, limits).  Any other file:
    ``call`` (default ``main``) under ``--model``, else its folder's model, else what its code uses
    (``async def main``: asyncio; ``multiprocessing`` or a process pool: processes; else threads)."""
    exercise = exercise_of(path)
    if exercise is not None:
        from coursekit.grading import load_grader

        grader = load_grader(exercise)
        driver = (grader.path, grader.driver.__name__) if grader.driver is not None and grader.path else None
        model = asked_model or exercise.model
        spec = runner.RunSpec(model, path, call or grader.call, grader.args, tie, exercise.limits,
                              None if call else driver, grader.work)
        return TraceRun(spec, f"exercise {exercise.id}" + (", run by its grader" if spec.driver else ""))
    if asked_model is not None:
        model, why = asked_model, "--model"
    elif (by_folder := folder_model(path.parent.name)) is not None:
        model, why = by_folder, f"folder {path.parent.name}/"
    else:
        model, why = model_from_code(path.read_text(encoding="utf-8", errors="replace")), "its code"
    return TraceRun(runner.RunSpec(model, path, call or "main", tie=tie, limits=Limits()), why)


def model_from_code(source: str) -> str:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return "threads"  # the run reports the syntax error itself
    for node in ast.walk(tree):
        if isinstance(node, ast.AsyncFunctionDef) and node.name == "main":
            return "coroutines"
    names = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)
             for alias in node.names}
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    if "multiprocessing" in names | {m.split(".")[0] for m in modules} and "multiprocessing.pool" not in modules:
        return "processes"
    if "ProcessPoolExecutor" in source:
        return "processes"
    return "threads"


def one_run_picture(tl: Timeline) -> dict[str, Any]:
    """The picture a failed check draws, with this run as "your program" and no second run."""
    side = picture._side(tl)  # the judge's own drawing of one run
    empty = {"lanes": [], "lines": [], "end": side["end"], "returned_at": None, "main": side["main"],
             "lines_left_out": 0}
    return {"version": picture.PICTURE_VERSION, "unit": "s", "observed": side, "expected": empty,
            "divergence": None, "rows": [[i, None] for i in range(len(side["lines"]))]}


def lines_text(pic: dict[str, Any]) -> list[str]:
    """Every printed line with its virtual time and who printed it."""
    labels = {ln["id"]: ln["label"] for ln in pic["observed"]["lanes"]}
    lines = pic["observed"]["lines"]
    width = max([len(labels.get(x["lane"], x["lane"])) for x in lines] + [4])
    out = [f"{'t (s)':>8}  {'who'.ljust(width)}  printed"]
    out += [f"{x['t']:>8.3f}  {labels.get(x['lane'], x['lane']).ljust(width)}  {x['text']}" for x in lines]
    left = pic["observed"].get("lines_left_out", 0)
    if left:
        out.append(f"... and {left} more lines")
    return out


def ending_text(tl: Timeline) -> list[str]:
    """How the run ended, in the words of what happened (problems, crashes), for the end of the trace."""
    out: list[str] = []
    for p in tl.problems:
        waits = ", ".join(f"{w.get('id', '?')} in {w.get('on', '?')}" + (f" at {w['where']}" if w.get("where") else "")
                          for w in p.get("waits") or [])
        out.append(f"stopped at {float(p.get('t', tl.end_t)):g} s: {p.get('kind')}"
                   + (f" ({p['detail']})" if p.get("detail") else "") + (f"; waiting: {waits}" if waits else ""))
    for c in tl.crashes:
        out.append(f"raised at {float(c.get('t', 0.0)):g} s in {c.get('id', 'main')}: {c.get('msg') or c.get('exc')}"
                   + (f" ({c['where']})" if c.get("where") else ""))
    for e in tl.errors:
        out.append(f"could not run: {e.get('msg', e.get('kind', '?'))}"
                   + (f" ({e['where']})" if e.get("where") else ""))
    if tl.returned_at is not None:
        out.append(f"main returned at {tl.returned_at:g} s; the run ended at {tl.end_t:g} s")
    return out


def html_page(path: Path, model: str, pic: dict[str, Any], ending: list[str]) -> str:
    labels = {ln["id"]: ln["label"] for ln in pic["observed"]["lanes"]}
    svg = html.timeline_svg(pic).replace("your program against the expected run", "your program", 1)
    rows = "".join(f"<tr><td>{x['t']:.3f}</td><td>{html._esc(labels.get(x['lane'], x['lane']))}</td>"
                   f"<td><code>{html._esc(x['text'])}"
                   f"</code></td></tr>" for x in pic["observed"]["lines"])
    notes = "".join(f"<li>{html._esc(line)}</li>" for line in ending)
    return (f"<!doctype html><html lang='en'><meta charset='utf-8'><title>trace of {html._esc(path.name)}</title>"
            "<style>body{font-family:system-ui,sans-serif;margin:2em}td{padding:2px 10px}</style>"
            f"<h1>{html._esc(path.name)} <small>({html._esc(model)}, virtual time)</small></h1>"
            f"{svg}<ul>{notes}</ul>"
            f"<table><tr><th>t (s)</th><th>who</th><th>printed</th></tr>{rows}</table></html>\n")


@click.command(name="trace")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--model", type=click.Choice(MODEL_NAMES), default=None,
              help="The concurrency model to run it under (default: the exercise's, the folder's, or its code's).")
@click.option("--call", default=None, help="The function to run (default: main, or as the exercise's grader runs it).")
@click.option("--tie", type=click.Choice(["fifo", "lifo"]), default="fifo", show_default=True,
              help="How threads due at the same instant are ordered (fifo: as a real run).")
@click.option("--html", "html_out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the timeline as an HTML page to this file.")
@click.option("--width", type=click.IntRange(min=40), default=None, help="Columns of the drawing.")
def trace(file: Path, model: str | None, call: str | None, tie: str, html_out: Path | None, width: int | None
          ) -> None:
    """Run any program under the kit and draw its timeline on virtual time (for experiments and new exercises)."""
    choice = choose_run(file.resolve(), model, call, tie)
    raw = runner.run(choice.spec)
    tl = build(raw)
    pic = one_run_picture(tl)
    columns = width or (shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns if sys.stdout.isatty()
                        else DEFAULT_WIDTH)
    click.echo(f"{file.name}: {choice.spec.model} (from {choice.why}), virtual time")
    click.echo(text.to_text(text.lanes_renderable(pic, width=columns, unicode=False, lines=False), width=columns,
                            color=False))
    click.echo("\n".join(lines_text(pic)))
    ending = ending_text(tl)
    if ending:
        click.echo("")
        click.echo("\n".join(ending))
    if tl.err_lines:
        click.echo("\nstandard error:")
        click.echo("\n".join(x.text for x in tl.err_lines[:40]))
    if html_out is not None:
        html_out.write_text(html_page(file, choice.spec.model, pic, ending), encoding="utf-8")
        click.echo(f"\nwrote {html_out}")


def register(group: click.Group) -> None:
    group.add_command(trace)
