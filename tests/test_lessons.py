"""The course's lesson notebooks (课程讲义) in ``notebooks/lessons/`` — issues 9 and 17.

* every lesson ``NN_<slug>.ipynb`` executes top to bottom with papermill on its small default
  parameters (a failing cell fails the test); the execution is shared with
  ``tests/test_lesson_numbers.py`` (:mod:`lesson_runs`, once per test run);
* the chapters 01–11 exist (later chapters may follow, numbered without gaps), each with its
  paired ``py:percent`` script;
* exercises students run (issue 17): every lesson has at least one code exercise whose solution
  cell is tagged ``solution`` and collapsed in JupyterLab (``jupyter.source_hidden``; lessons
  01–11 also tag it ``hide-input`` for the book), followed (before the next solution) by a
  self-check code cell with ``assert``; the lesson's introduction (the Markdown before the first code cell) explains
  where the 参考答案 is and that the self-check uses ``assert``; try-it parameters have an
  ipywidgets control; no lesson silences warnings wholesale;
* each lesson has 学习目标, 思考题, at least one hidden solution
  (``<details><summary>参考答案</summary>``), a 动手试一试 section and an English glossary
  (术语表), and exactly one ``parameters`` cell that sets ``lang``;
* ``notebooks/lessons/course_checklist.yml`` maps every worked example and numbered concept of
  COURSE.md §1–§5 (the list :data:`REQUIRED` below, written from COURSE.md independently of the
  checklist) to an existing lesson, and the lesson's script really contains the mapped Chinese
  term(s) — the seeds' own terms — while no lesson uses a term the checklist lists under
  ``avoid`` (back-translations such as 镜像效应 for “镜子”效应).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml
from lesson_runs import error_outputs, executed

ROOT = Path(__file__).resolve().parent.parent
LESSONS_DIR = ROOT / "notebooks" / "lessons"
CHECKLIST = LESSONS_DIR / "course_checklist.yml"
LESSONS = sorted(p for p in LESSONS_DIR.glob("[0-9][0-9]_*.ipynb"))
CHAPTERS = [f"{i:02d}" for i in range(1, 12)]
#: Lessons written in issue 17's first part; the later chapters follow the same rules except ``hide-input``.
FIRST_ELEVEN = [p for p in LESSONS if p.name[:2] in CHAPTERS]

#: COURSE.md §1–§5: every numbered concept and worked example a lesson must teach.
REQUIRED = {
    # §1 satisfaction as a gap
    "triangle_rule",
    "cs_characteristics",
    "iso_definition",
    "cem_seven_steps_table",
    "servqual_dimensions",
    "five_gaps",
    "closing_gap3_people",
    "gronroos",
    "needs_window_kano",
    "three_expectation_levels",
    "three_cs_levels",
    # §2 drivers and consequences
    "research_model",
    "four_kinds_of_analysis",
    "cem_drivers",
    "satisfaction_factors",
    "consequences_loyalty",
    "service_profit_chain",
    "mirror_effect",
    "service_triangle",
    "moments_of_truth",
    "patient_journey",
    # §3 customers, tiers and value
    "who_is_customer",
    "customer_pyramid",
    "abc_care",
    "differentiation_matrix",
    "idic",
    "value_classes",
    "strategic_customers_seven",
    "strategy_matrix",
    "retention_3x",
    "retention_1_11_55",
    "retention_95_silent",
    "lifetime_value",
    "bank_decision_tree",
    "data_mining_process",
    "big_data_concerns",
    "personality_styles",
    "demand_states",
    "customer_delivered_value",
    # §4 complaints
    "complaint_escalation",
    "complaint_two_kinds",
    "complaint_record",
    "complaint_pareto",
    "complaint_handling",
    "information_channels",
    "survey_methods",
    # §5 service types and culture
    "service_definition",
    "service_characteristics",
    "procedure_personal",
    "bad_habits",
    "service_culture",
    "internal_marketing",
    "case_airline_suzanne",
    "case_ticket_robert",
    "etiquette_quizzes",
    "review_questions",
}


def _ids(paths):
    return [p.stem for p in paths]


def _script(lesson: Path) -> str:
    return lesson.with_suffix(".py").read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- execution


@pytest.mark.parametrize("lesson", LESSONS, ids=_ids(LESSONS))
def test_lesson_executes(lesson):
    pytest.importorskip("papermill")
    errors = error_outputs(executed(lesson))
    assert errors == [], [f"{e.get('ename')}: {e.get('evalue')}" for e in errors]


def test_try_it_parameter_changes_the_result(tmp_path):
    """The 动手试一试 parameters really drive the computation (papermill injects them)."""
    papermill = pytest.importorskip("papermill")
    lesson = LESSONS_DIR / "02_cem_seven_steps.ipynb"
    out = tmp_path / lesson.name
    papermill.execute_notebook(
        str(lesson),
        str(out),
        parameters={"lang": "zh", "product_importance": 8, "convenience_ideal": 7},
        kernel_name="python3",
        cwd=str(LESSONS_DIR),
        progress_bar=False,
    )
    text = "".join(
        str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", ""))
        for c in nbformat.read(str(out), as_version=4).cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
    )
    assert "(5 − 7 = -2)" in text  # step 4 now measures convenience against the lower ideal
    assert "-8.0" in text  # the product's weighted gap 8 × (−1) now exists


# ----------------------------------------------------------------------------- structure


def test_all_eleven_chapters_exist():
    numbers = [p.name[:2] for p in LESSONS]
    assert numbers[:11] == CHAPTERS, f"lesson notebooks found: {[p.name for p in LESSONS]}"
    assert numbers == [f"{i:02d}" for i in range(1, len(numbers) + 1)], "chapters are numbered without gaps"
    for lesson in LESSONS:
        assert lesson.with_suffix(".py").is_file(), f"{lesson.name} has no paired py:percent script"


def exercise_problems(nb: nbformat.NotebookNode, *, hide_input: bool) -> list[str]:
    """What is missing from a lesson's code exercises (solution cell collapsed, then an assert self-check)."""
    problems = []
    cells = nb.cells
    solutions = [i for i, c in enumerate(cells) if c.cell_type == "code" and "solution" in c.metadata.get("tags", [])]
    if not solutions:
        problems.append("no code cell tagged 'solution'")
    for i in solutions:
        cell = cells[i]
        if not cell.metadata.get("jupyter", {}).get("source_hidden"):
            problems.append(f"solution cell {i} is not collapsed (jupyter.source_hidden)")
        if hide_input and "hide-input" not in cell.metadata.get("tags", []):
            problems.append(f"solution cell {i} is not tagged 'hide-input'")
        later = [j for j in solutions if j > i]
        window = [c for c in cells[i + 1 : later[0] if later else len(cells)] if c.cell_type == "code"]
        if not any(re.search(r"^assert ", c.source, re.M) for c in window):
            problems.append(f"solution cell {i} is not followed by a self-check cell with assert")
    first_code = next((i for i, c in enumerate(cells) if c.cell_type == "code"), len(cells))
    intro = "\n".join(c.source for c in cells[:first_code] if c.cell_type == "markdown")
    if solutions and not ("参考答案" in intro and "assert" in intro):
        problems.append("the introduction does not explain the solution-cell convention")
    code = "\n".join(c.source for c in cells if c.cell_type == "code")
    if not re.search(r"\binteract(_manual)?\(|interact\.options\(|driver_explorer\(", code):
        problems.append("no ipywidgets control for the try-it parameters")
    if re.search(r"(filterwarnings|simplefilter)\(\s*[\"']ignore", code):
        problems.append("warnings are silenced wholesale")
    return problems


@pytest.mark.parametrize("lesson", LESSONS, ids=_ids(LESSONS))
def test_lesson_has_exercises_students_run(lesson):
    nb = nbformat.read(str(lesson), as_version=4)
    assert exercise_problems(nb, hide_input=lesson in FIRST_ELEVEN) == []


def test_exercise_check_catches_a_bare_lesson():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 第 1 章"),
        nbformat.v4.new_code_cell("import warnings\nwarnings.simplefilter('ignore')"),
        nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["solution"]}),
        nbformat.v4.new_code_cell("print(x)"),
    ]
    assert exercise_problems(nb, hide_input=True) == [
        "solution cell 2 is not collapsed (jupyter.source_hidden)",
        "solution cell 2 is not tagged 'hide-input'",
        "solution cell 2 is not followed by a self-check cell with assert",
        "the introduction does not explain the solution-cell convention",
        "no ipywidgets control for the try-it parameters",
        "warnings are silenced wholesale",
    ]


@pytest.mark.parametrize("lesson", LESSONS, ids=_ids(LESSONS))
def test_lesson_has_the_parts_of_a_chapter(lesson):
    text = _script(lesson)
    for part in (
        "学习目标",
        "思考题",
        "动手试一试",
        "<details><summary>参考答案</summary>",
        "</details>",
        "术语表",
        "Glossary",
    ):
        assert part in text, f"{lesson.stem} lacks {part!r}"
    glossary = text[text.index("术语表") :]
    rows = [line for line in glossary.splitlines() if re.match(r"^# \|[^|-]", line)]
    assert len(rows) >= 6, f"{lesson.stem}: the glossary has only {len(rows)} rows"
    assert re.search(r"[A-Za-z]", "".join(rows)), "the glossary gives no English terms"


@pytest.mark.parametrize("lesson", LESSONS, ids=_ids(LESSONS))
def test_one_parameters_cell_with_lang(lesson):
    nb = nbformat.read(str(lesson), as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1 and tagged[0].cell_type == "code"
    assert re.search(r"^lang\s*=\s*[\"']zh[\"']", tagged[0].source, re.M)


@pytest.mark.parametrize("lesson", LESSONS, ids=_ids(LESSONS))
def test_solutions_are_hidden(lesson):
    """Every solution sits inside a collapsed <details> block (closed by default)."""
    text = _script(lesson)
    opened = text.count("<details>")
    assert opened >= 1
    assert opened == text.count("</details>")
    assert "<details open" not in text


# ----------------------------------------------------------------------------- the checklist


def _checklist() -> list[dict]:
    with CHECKLIST.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def test_checklist_covers_every_course_item():
    entries = _checklist()
    ids = [e["id"] for e in entries]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    assert duplicated == []
    missing = sorted(REQUIRED - set(ids))
    assert missing == [], f"course items with no lesson in {CHECKLIST.name}: {missing}"


def checklist_problems(entries: list[dict], scripts: dict[str, str]) -> list[str]:
    """Entries whose lesson is missing or whose lesson script lacks one of the mapped terms."""
    problems = []
    for entry in entries:
        for key in ("id", "section", "concept", "lesson", "terms"):
            if key not in entry:
                problems.append(f"{entry.get('id')}: no {key!r}")
        lesson = str(entry.get("lesson", "")).zfill(2)
        if lesson not in scripts:
            problems.append(f"{entry.get('id')}: lesson {lesson} does not exist")
            continue
        if not entry.get("terms"):
            problems.append(f"{entry.get('id')}: no Chinese term to look for")
        for term in entry.get("terms") or []:
            if not isinstance(term, str):
                problems.append(f"{entry.get('id')}: term {term!r} is not a string (quote it in the YAML)")
            elif term not in scripts[lesson]:
                problems.append(f"{entry.get('id')}: lesson {lesson} never mentions {term!r}")
    return problems


def test_checklist_points_at_lessons_that_teach_the_term():
    scripts = {p.name[:2]: _script(p) for p in LESSONS}
    assert checklist_problems(_checklist(), scripts) == []


def avoided_terms(entries: list[dict], scripts: dict[str, str]) -> list[str]:
    """Lessons that use a term the checklist lists under ``avoid`` (a back-translation or a contradiction)."""
    found = []
    for entry in entries:
        for term in entry.get("avoid") or []:
            found += [f"{entry['id']}: lesson {k} uses {term!r}" for k, text in sorted(scripts.items()) if term in text]
    return found


def test_no_lesson_uses_an_avoided_term():
    scripts = {p.name[:2]: _script(p) for p in LESSONS}
    entries = _checklist()
    assert sum(len(e.get("avoid") or []) for e in entries) >= 10, "the checklist flags the back-translations"
    assert avoided_terms(entries, scripts) == []


def test_avoided_term_check_is_not_vacuous():
    entries = [{"id": "mirror_effect", "avoid": ["镜像效应"]}]
    assert avoided_terms(entries, {"05": "课程称之为镜像效应", "06": "“镜子”效应"}) == [
        "mirror_effect: lesson 05 uses '镜像效应'"
    ]


def test_checklist_check_catches_bad_entries():
    """The check is not vacuous: missing lessons, absent terms and unquoted numbers are reported."""
    scripts = {"01": "三角定律：顾客满意 = 实际感受 − 期望感受"}
    entries = [
        {"id": "ok", "section": "§1", "concept": "c", "lesson": "01", "terms": ["三角定律"]},
        {"id": "absent", "section": "§1", "concept": "c", "lesson": "01", "terms": ["服务利润链"]},
        {"id": "no_lesson", "section": "§1", "concept": "c", "lesson": "12", "terms": ["x"]},
        {"id": "number", "section": "§3", "concept": "c", "lesson": 1, "terms": [1, 0]},
        {"id": "bare", "section": "§3", "concept": "c", "lesson": "01", "terms": []},
    ]
    assert checklist_problems(entries, scripts) == [
        "absent: lesson 01 never mentions '服务利润链'",
        "no_lesson: lesson 12 does not exist",
        "number: term 1 is not a string (quote it in the YAML)",
        "number: term 0 is not a string (quote it in the YAML)",
        "bare: no Chinese term to look for",
    ]
