"""The text of a notebook's cells, made from an exercise's stub and reference solution.

The answer cell is the reference solution with nbgrader's solution markers around what the student writes, so
that ``nbgrader generate_assignment`` turns it back into a stub.  The markers are placed by comparing the stub
with the solution (never by hand-written rules per exercise): a function that the stub leaves unwritten (its
body raises ``NotImplementedError``) keeps the stub's signature, docstring and ``# TODO`` comments, and gets the
solution's body between the markers; code the stub gives as it is (imports, helpers) stays visible; anything
else only the solution has is wrapped whole.  The released cell therefore reads like the stub, except that
nbgrader's own ``raise NotImplementedError()`` replaces the stub's one-line "what to write" message.
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Sequence

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


class CellError(ValueError):
    """The stub or the solution cannot be turned into notebook cells; the message names the file."""


def answer_source(stub: str, solution: str, *, stub_name: str = "stub", solution_name: str = "solution") -> str:
    """The answer cell's code (without the ``%%answer`` line): the solution, with solution markers."""
    stub_tree = _parse(stub, stub_name)
    sol_tree = _parse(solution, solution_name)
    out = _render(sol_tree.body, solution.splitlines(), stub_tree.body, stub.splitlines(), top=True)
    text = "\n".join(out).strip("\n")
    if BEGIN not in text:
        raise CellError(f"{solution_name}: nothing in it differs from {stub_name}, so there is nothing to answer")
    return re.sub(r"\n{3,}(?=\S)", "\n\n\n", text) + "\n"


def _parse(text: str, name: str) -> ast.Module:
    try:
        return ast.parse(text)
    except SyntaxError as exc:
        raise CellError(f"{name}: not valid Python (line {exc.lineno}: {exc.msg})") from None


def _start(node: ast.stmt) -> int:
    """0-based index of a statement's first line, decorators included."""
    decorators: list[ast.expr] = getattr(node, "decorator_list", None) or []
    return min([node.lineno, *(d.lineno for d in decorators)]) - 1


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _is_main_guard(node: ast.stmt) -> bool:
    """``if __name__ == "__main__":``: the file's demo, which never runs in a notebook answer cell."""
    return (isinstance(node, ast.If) and isinstance(node.test, ast.Compare) and isinstance(node.test.left, ast.Name)
            and node.test.left.id == "__name__")


def _unwritten(node: ast.stmt) -> bool:
    """Whether a stub's definition leaves something for the student: it raises NotImplementedError."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Raise) and sub.exc is not None:
            target = sub.exc.func if isinstance(sub.exc, ast.Call) else sub.exc
            if isinstance(target, ast.Name) and target.id == "NotImplementedError":
                return True
    return False


def _render(sol_body: Sequence[ast.stmt], sol_lines: list[str], stub_body: Sequence[ast.stmt],
            stub_lines: list[str], *, top: bool, after: int | None = None) -> list[str]:
    """The answer text of ``sol_body``; ``after`` is the line index where it begins (keeps the blank lines and
    comments before its first statement)."""
    stub_defs = {n.name: n for n in stub_body if isinstance(n, _DEFS)}
    stub_dumps = {ast.dump(n) for n in stub_body}
    out: list[str] = []
    previous_end = after if after is not None else _start(sol_body[0]) if sol_body else 0
    for index, node in enumerate(sol_body):
        start, end = _start(node), node.end_lineno or node.lineno
        gap = sol_lines[previous_end:start]
        previous_end = end
        if (index == 0 and _is_docstring(node)) or (top and _is_main_guard(node)):
            continue
        out += gap
        text = sol_lines[start:end]
        twin = stub_defs.get(node.name) if isinstance(node, _DEFS) else None
        if twin is not None and _unwritten(twin):
            out += _written_def(node, sol_lines, twin, stub_lines)
        elif twin is not None or isinstance(node, (ast.Import, ast.ImportFrom)) or ast.dump(node) in stub_dumps:
            out += text  # given as it is (or only differing in what the student never has to touch)
        else:
            indent = _indent(text[0])
            out += [indent + BEGIN, *text, indent + END]
    return out


def _written_def(node: ast.stmt, sol_lines: list[str], twin: ast.stmt, stub_lines: list[str]) -> list[str]:
    """A definition the student writes: the stub's head and comments, then the solution's body in markers."""
    assert isinstance(node, _DEFS) and isinstance(twin, _DEFS)
    if isinstance(node, ast.ClassDef) and isinstance(twin, ast.ClassDef):
        if _is_docstring(node.body[0]):  # keep the class docstring, then render the methods one by one
            head_end = node.body[0].end_lineno or node.body[0].lineno
            members = node.body[1:]
        else:
            head_end, members = _start(node.body[0]), node.body
        return sol_lines[_start(node):head_end] + _render(members, sol_lines, twin.body, stub_lines, top=False,
                                                         after=head_end)
    assert not isinstance(node, ast.ClassDef)  # classes are rendered above (a class with a def twin is not)
    stub_code = [n for n in twin.body if not _is_docstring(n)] or twin.body
    if stub_code[0].lineno == twin.lineno or node.body[0].lineno == node.lineno:
        raise CellError(f"def {node.name}(): write its body on its own lines, below the signature")
    head = stub_lines[_start(twin):stub_code[0].lineno - 1]  # signature, docstring, comments above the code
    while head and not head[-1].strip():
        head.pop()
    todo = [line for line in stub_lines[stub_code[0].lineno - 1:twin.end_lineno] if line.strip().startswith("#")]
    if _is_docstring(node.body[0]):
        body_start = node.body[0].end_lineno or node.body[0].lineno
    else:  # the line after the signature (which may span lines)
        parts = [node.args, *([node.returns] if node.returns else [])]
        body_start = max([node.lineno, *(getattr(p, "end_lineno", 0) or 0 for p in parts)])
    body = sol_lines[body_start:node.end_lineno]
    while body and not body[0].strip():
        body.pop(0)
    if not body:
        raise CellError(f"def {node.name}(): the solution has no code in it")
    indent = _indent(body[0])
    return head + todo + [indent + BEGIN, *body, indent + END]


def _indent(line: str) -> str:
    """The white space a line starts with."""
    return line[:len(line) - len(line.lstrip())]


def demo_lines(stub: str) -> list[str]:
    """The body of the stub's ``if __name__ == "__main__":`` block (its demo), dedented; [] without one."""
    lines = stub.splitlines()
    for node in ast.parse(stub).body:
        if _is_main_guard(node):
            assert isinstance(node, ast.If)
            body = lines[node.body[0].lineno - 1:node.body[-1].end_lineno]
            return [line for line in textwrap.dedent("\n".join(body)).splitlines() if line.strip()]
    return []


# ---------------------------------------------------------------------------------------------------- lesson


def lesson_markdown(title: str, stub: str) -> str:
    """The stub's module docstring as Markdown, under the exercise's title.

    Docstrings are written for a terminal: ``code`` in double backquotes, and "term, then an indented block"
    for sections such as "The lesson".  Indented text would be a code block in Markdown, so a section's
    block is dedented under a bold term (its "Docs:" line, the stubs' links, a paragraph of its own).  The
    "Check your work" paragraph is about the files version of the course; the notebook says its own way.
    """
    doc = ast.get_docstring(ast.parse(stub), clean=True) or ""
    blocks = [b for b in re.split(r"\n\s*\n", doc) if b.strip()]
    out = [f"# {title}"]
    for block in blocks:
        lines = block.splitlines()
        if lines[0].lower().startswith("check your work"):
            continue
        if len(lines) > 1 and not lines[0].startswith(" ") and all(line.startswith(" ") for line in lines[1:]):
            body = "\n".join(line.strip() for line in lines[1:])
            out.append(f"**{lines[0].strip()}**\n\n" + re.sub(r"\n(?=Docs:)", "\n\n", body))
        else:
            out.append("\n".join(line.strip() for line in lines))
    return re.sub(r"``([^`]+)``", r"`\1`", "\n\n".join(out))
