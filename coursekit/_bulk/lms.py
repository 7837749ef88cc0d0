"""Gradebooks an LMS imports unchanged: a roster exported from Canvas or Moodle, matched to submission ids.

Why a roster: a submission is named by its folder or zip (``alice``, ``alice@uni.edu.zip``), but an LMS files a
grade under its own identity (Canvas: its numeric ``ID`` and SIS ids; Moodle: a username, email or ID number).
Only the LMS's own export knows both, so ``course grade --roster FILE`` reads it and writes, beside
``grades.csv``:

- ``canvas.csv`` for a Canvas roster (its gradebook export: ``Student, ID, SIS User ID, SIS Login ID, Section``,
  ...): Canvas's import layout, those five columns then one column per exercise, the ``Points Possible`` row
  first.  One column per exercise rather than one total: each becomes (or updates) a Canvas assignment, so
  Canvas weights and totals them itself and students see which exercise lost points.  A roster column that
  already names the exercise (``threads/race_counter (1234)``, by id or title) is reused, so the import updates
  that assignment instead of creating a new one.
- ``moodle.csv`` for a Moodle roster (a users CSV with a username, email or ID number column): that identifier
  column, then one column per exercise (grade item), mapped at import ("Map from" / "Map to").

Without a roster no LMS file is written: Canvas files grades by IDs only the roster holds, and a guessed
identity would import a grade to no one, or to the wrong student.

Matching, for each submission id against the roster's id column (``--roster-id-column``, or the candidate
column that matches the most submissions): exact, then case-insensitive, then the local part of an email
(``Alice@Uni.edu`` ~ ``alice``), each rule only among what is still unmatched; a rule that finds two rows for
one id, or two ids for one row, matches nothing (ambiguous).  The LMS file keeps the roster's own spelling of
every identity (Moodle matches emails case-sensitively).  Every student on either side without a partner is
listed (``roster-match.csv``, ``report.html``, and on stderr) and never dropped: a roster student with no
submission gets a row with empty cells (an LMS leaves an empty cell's grade as it was).
"""

from __future__ import annotations

import csv
import enum
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from coursekit._bulk.grade_class import ClassResult
from coursekit._bulk.gradebook import csv_cell, points
from coursekit.registry import Exercise

CANVAS_IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_ID_CANDIDATES = ("SIS Login ID", "SIS User ID", "ID", "Student")
"""Canvas columns a submission id may name, most likely first (the login is what students hand in as)."""
MOODLE_ID_CANDIDATES = ("username", "email", "emailaddress", "idnumber", "useremail", "useridnumber")
"""Moodle columns (lowercase, letters only) that identify a user in a grade import."""
POINTS_POSSIBLE = "Points Possible"
ASSIGNMENT_ID_RE = re.compile(r"^(?P<name>.*\S)\s+\((?P<id>\d+)\)$")


class RosterError(ValueError):
    """The roster cannot be used: the message names the file and what is wrong in it."""


class Lms(enum.StrEnum):
    """Whose export a roster is, hence which gradebook the kit writes for it."""

    CANVAS = "canvas"
    MOODLE = "moodle"

    @property
    def gradebook(self) -> str:
        return f"{self.value}.csv"


class MatchRule(enum.StrEnum):
    """How a submission id was matched to a roster row, in the order the rules are tried."""

    EXACT = "exact"
    CASE_INSENSITIVE = "case-insensitive"
    EMAIL_LOCAL_PART = "email local part"


@dataclass(frozen=True)
class RosterEntry:
    line: int
    """Its line in the roster file (1 is the header), for messages."""
    cells: dict[str, str]
    """Header -> value, as the LMS wrote it."""


@dataclass(frozen=True)
class Roster:
    path: Path
    lms: Lms
    header: tuple[str, ...]
    entries: tuple[RosterEntry, ...]
    id_column: str | None
    """The column given by ``--roster-id-column`` (spelled as in the header), or ``None``: detect it."""

    def candidates(self) -> list[str]:
        """Columns that may hold the submission ids, most likely first."""
        if self.id_column is not None:
            return [self.id_column]
        if self.lms is Lms.CANVAS:
            return [c for c in CANVAS_ID_CANDIDATES if c in self.header]
        by_key = {_letters(h): h for h in reversed(self.header)}
        return [by_key[k] for k in MOODLE_ID_CANDIDATES if k in by_key]


@dataclass(frozen=True)
class Match:
    student: str
    entry: RosterEntry
    rule: MatchRule


@dataclass(frozen=True)
class Unmatched:
    student: str
    reason: str


@dataclass(frozen=True)
class RosterMatch:
    """The outcome of matching: who is who, and everyone on either side left without a partner."""

    roster: Roster
    column: str
    matches: tuple[Match, ...]
    unmatched_submissions: tuple[Unmatched, ...]
    unmatched_roster: tuple[RosterEntry, ...]

    def by_line(self) -> dict[int, Match]:
        return {m.entry.line: m for m in self.matches}

    def problems(self) -> list[str]:
        """One line per student without a partner, for stderr and the report."""
        lines = [f"submission {u.student!r}: not in the roster {self.roster.path.name} ({u.reason})"
                 for u in self.unmatched_submissions]
        lines += [f"roster line {e.line} ({self.column} {e.cells.get(self.column, '')!r}): no submission; "
                  f"its row in {self.roster.lms.gradebook} has empty cells" for e in self.unmatched_roster]
        return lines


def _letters(header: str) -> str:
    return re.sub(r"[^a-z]", "", header.lower())


def load_roster(path: Path, id_column: str | None = None) -> Roster:
    """Read an LMS export: a Canvas gradebook CSV, or a Moodle users CSV.  Raises ``RosterError``."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RosterError(f"--roster {path}: cannot read it ({exc})") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise RosterError(f"--roster {path}: empty; expected the LMS's CSV export with a header row")
    header = tuple(cell.strip() for cell in rows[0])
    canvas = "Student" in header and "ID" in header and ("SIS Login ID" in header or "SIS User ID" in header)
    lms = Lms.CANVAS if canvas else Lms.MOODLE
    column = None
    if id_column is not None:
        named = [h for h in header if h == id_column] or [h for h in header if h.casefold() == id_column.casefold()]
        if not named:
            raise RosterError(f"--roster-id-column {id_column!r} is not a column of {path} (its columns: "
                              f"{', '.join(header)})")
        column = named[0]
    entries = []
    for line, row in enumerate(rows[1:], start=2):
        cells = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
        if not any(cells.values()):
            continue
        if lms is Lms.CANVAS and (not cells["ID"] or cells["Student"] == POINTS_POSSIBLE):
            continue  # Canvas's "Points Possible" and posting-policy rows name no student
        entries.append(RosterEntry(line, cells))
    roster = Roster(path, lms, header, tuple(entries), column)
    if not roster.candidates():
        raise RosterError(f"--roster {path}: no column identifies a student; expected a Canvas gradebook export "
                          f"({', '.join(CANVAS_IDENTITY)}) or a Moodle users CSV with a username, email or ID "
                          f"number column, or name one with --roster-id-column (its columns: {', '.join(header)})")
    return roster


def _local(value: str) -> str:
    return value.split("@", 1)[0].casefold()


RULES: tuple[tuple[MatchRule, Callable[[str], str]], ...] = (
    (MatchRule.EXACT, lambda v: v),
    (MatchRule.CASE_INSENSITIVE, str.casefold),
    (MatchRule.EMAIL_LOCAL_PART, _local),
)


def match_on(roster: Roster, column: str, students: Sequence[str]) -> RosterMatch:
    """Match ``students`` (submission ids) to the roster's ``column``, rule by rule (see the module's doc)."""
    remaining = sorted(set(students))
    free = [e for e in roster.entries if e.cells.get(column)]
    matches: list[Match] = []
    ambiguous: dict[str, str] = {}
    for rule, key in RULES:
        index: dict[str, list[RosterEntry]] = {}
        for e in free:
            index.setdefault(key(e.cells[column]), []).append(e)
        claims: dict[int, list[str]] = {}
        for student in remaining:
            hits = index.get(key(student), [])
            if len(hits) == 1:
                claims.setdefault(hits[0].line, []).append(student)
            elif len(hits) > 1 and student not in ambiguous:
                ambiguous[student] = (f"{rule} matches roster lines "
                                      f"{', '.join(str(e.line) for e in hits)}")
        taken: set[int] = set()
        for line, claimants in claims.items():
            if len(claimants) == 1:
                entry = next(e for e in free if e.line == line)
                matches.append(Match(claimants[0], entry, rule))
                taken.add(line)
            else:
                for student in claimants:
                    ambiguous.setdefault(student, f"{rule}, roster line {line} also matches "
                                                  f"{', '.join(repr(s) for s in claimants if s != student)}")
        matched = {m.student for m in matches}
        remaining = [s for s in remaining if s not in matched]
        free = [e for e in free if e.line not in taken]
    matched_lines = {m.entry.line for m in matches}
    unmatched = tuple(Unmatched(s, ambiguous.get(s, f"no {column} is {s!r}, in any case or as an email's local "
                                                    "part")) for s in remaining)
    return RosterMatch(roster, column, tuple(sorted(matches, key=lambda m: m.entry.line)), unmatched,
                       tuple(e for e in roster.entries if e.line not in matched_lines))


def match_roster(roster: Roster, students: Sequence[str]) -> RosterMatch:
    """Match on the given id column, or on the candidate column that matches the most submissions."""
    outcomes = [match_on(roster, column, students) for column in roster.candidates()]
    return max(outcomes, key=lambda m: len(m.matches))  # the first wins a tie: candidates are in likelihood order


# -- the gradebooks ------------------------------------------------------------------------------------------
def _exercise_columns(exercises: Sequence[Exercise], roster: Roster) -> list[str]:
    """Canvas: reuse a roster column ``<id or title> (<assignment id>)`` for an exercise; else its id."""
    existing: dict[str, str] = {}
    for h in roster.header:
        m = ASSIGNMENT_ID_RE.match(h)
        if m:
            existing.setdefault(m["name"], h)
    return [existing.get(ex.id, existing.get(ex.title, ex.id)) for ex in exercises]


def _scores(result: ClassResult, rm: RosterMatch) -> dict[int, list[str]]:
    """Roster line -> the cells of its exercises (empty for a roster student with no submission)."""
    by_student = {sr.student: sr for sr in result.students}
    cells: dict[int, list[str]] = {}
    matched = rm.by_line()
    for e in rm.roster.entries:
        m = matched.get(e.line)
        sr = by_student.get(m.student) if m else None
        cells[e.line] = ([points(sr.exercises[ex.id].score) for ex in result.exercises] if sr
                         else ["" for _ in result.exercises])
    return cells


def canvas_csv(result: ClassResult, rm: RosterMatch) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([*CANVAS_IDENTITY, *_exercise_columns(result.exercises, rm.roster)])
    writer.writerow([POINTS_POSSIBLE, "", "", "", "", *[points(ex.max_points) for ex in result.exercises]])
    cells = _scores(result, rm)
    for e in rm.roster.entries:
        writer.writerow([csv_cell(e.cells.get("Student", "")), *[e.cells.get(c, "") for c in CANVAS_IDENTITY[1:4]],
                         csv_cell(e.cells.get("Section", "")), *cells[e.line]])
    return buf.getvalue().encode("utf-8")


def moodle_csv(result: ClassResult, rm: RosterMatch) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([rm.column, *[ex.id for ex in result.exercises]])
    cells = _scores(result, rm)
    for e in rm.roster.entries:
        if e.cells.get(rm.column):
            writer.writerow([e.cells[rm.column], *cells[e.line]])
    return buf.getvalue().encode("utf-8")


def roster_match_csv(rm: RosterMatch) -> bytes:
    """Every submission and every roster row, with how (or why not) they were matched: for an audit."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["submission", "roster line", rm.column, "matched by"])
    for m in rm.matches:
        writer.writerow([csv_cell(m.student), m.entry.line, csv_cell(m.entry.cells[rm.column]), m.rule.value])
    for u in rm.unmatched_submissions:
        writer.writerow([csv_cell(u.student), "", "", f"unmatched: {u.reason}"])
    for e in rm.unmatched_roster:
        writer.writerow(["", e.line, csv_cell(e.cells.get(rm.column, "")), "unmatched: no submission"])
    return buf.getvalue().encode("utf-8")


def write_lms(result: ClassResult, roster: Roster, out: Path) -> RosterMatch:
    """Match the class to ``roster``; write its LMS's gradebook and ``roster-match.csv`` under ``out``."""
    rm = match_roster(roster, [sr.student for sr in result.students])
    data = canvas_csv(result, rm) if roster.lms is Lms.CANVAS else moodle_csv(result, rm)
    (out / roster.lms.gradebook).write_bytes(data)
    (out / "roster-match.csv").write_bytes(roster_match_csv(rm))
    return rm
