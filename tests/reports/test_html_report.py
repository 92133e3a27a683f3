"""render_html: golden file, one note per claim, placement, escaping, self-containment."""

from __future__ import annotations

import json

import pytest

from grader.models import (
    AnnotationNote,
    AttemptResult,
    Block,
    ClaimResult,
    PartResult,
    Report,
    Transcript,
    Turn,
)
from grader.reports import render_html, report_json
from tests.reports.golden import assert_golden
from tests.reports.htmlscan import scan_html
from tests.reports.sample import build_sample_report

SCRIPT = "<script>alert(1)</script>"
IMG = "$<img src=x onerror=alert(1)>$"
HOSTILE = f"{SCRIPT} {IMG} [x](javascript:alert(1)) \\href{{javascript:alert(1)}}{{y}} ![t](http://evil.example/t.png)"


def claims_in_json(report: Report) -> list[str]:
    data = json.loads(report_json(report))
    return [
        f"{p['id']}/{a_no}/{c_no}"
        for p in data["parts"]
        for a_no, a in enumerate(p["attempts"], start=1)
        for c_no, _ in enumerate(a["claims"], start=1)
    ]


def claim(block: int | None, verdict: str = "correct", text: str = "x = 1") -> ClaimResult:
    return ClaimResult(answer="u", text=text, verdict=verdict, block=block)  # type: ignore[arg-type]


def report_with_attempts(attempts: list[AttemptResult], transcript: Transcript | None) -> Report:
    part = PartResult(id="q1a", first="correct", final="correct", attempts=attempts)
    return Report(source="s.txt", format="writeup-text", homework="hw", parts=[part], transcript=transcript)


def two_turns() -> Transcript:
    return Transcript(
        source="s.txt",
        format="writeup-text",
        turns=[
            Turn(index=0, role="user", blocks=[Block(kind="text", text="question")]),
            Turn(
                index=1,
                role="assistant",
                blocks=[Block(kind="text", text="a"), Block(kind="math", text="x=1")],
            ),
        ],
    )


# --------------------------------------------------------------------------- golden


def test_sample_report_matches_golden(sample_report: Report) -> None:
    assert_golden("sample_report.html", render_html(sample_report))


# --------------------------------------------------------------------------- every claim is a note


@pytest.mark.parametrize(
    "attempts,transcript",
    [
        # claims on blocks, at the end of the turn (block None), on a block out of range
        ([AttemptResult(turn=1, verdict="correct", claims=[claim(1), claim(None), claim(7)])], two_turns()),
        # a turn that is not in the transcript
        ([AttemptResult(turn=9, verdict="incorrect", claims=[claim(0, "incorrect")])], two_turns()),
        # no transcript at all
        (
            [
                AttemptResult(
                    turn=1, verdict="partial", claims=[claim(1, "timeout"), claim(None, "unparseable")]
                )
            ],
            None,
        ),
        # two attempts at one part in the same turn
        (
            [
                AttemptResult(turn=1, verdict="incorrect", claims=[claim(1, "incorrect")]),
                AttemptResult(turn=1, verdict="correct", claims=[claim(1)]),
            ],
            two_turns(),
        ),
    ],
)
def test_every_claim_in_json_is_a_note(attempts: list[AttemptResult], transcript: Transcript | None) -> None:
    report = report_with_attempts(attempts, transcript)
    notes = [e.attrs["data-claim"] or "" for e in scan_html(render_html(report)).with_attr("data-claim")]
    assert sorted(notes) == sorted(claims_in_json(report))


def test_sample_notes_carry_their_verdicts(sample_report: Report) -> None:
    notes = scan_html(render_html(sample_report)).with_attr("data-claim")
    assert {(e.attrs["data-claim"], e.attrs["data-verdict"]) for e in notes} == {
        ("q1a/1/1", "correct"),
        ("q1b/1/1", "incorrect"),
    }


# --------------------------------------------------------------------------- placement


def _position(scan_elements: list, attr: str, value: str) -> int:
    return next(i for i, e in enumerate(scan_elements) if e.attrs.get(attr) == value)


@pytest.mark.parametrize(
    "claim_key,turn_id,after_block,before_block",
    [
        # q1a's claim sits on block 2 of turn 1, before block 3
        ("q1a/1/1", "turn-1", "2", "3"),
        # q1b's claim sits on block 1 of turn 3, before block 2
        ("q1b/1/1", "turn-3", "1", "2"),
    ],
)
def test_note_is_beside_its_block(
    sample_report: Report, claim_key: str, turn_id: str, after_block: str, before_block: str
) -> None:
    elements = scan_html(render_html(sample_report)).elements
    turn_at = _position(elements, "id", turn_id)
    in_turn = elements[turn_at:]
    note_at = _position(in_turn, "data-claim", claim_key)
    assert (
        _position(in_turn, "data-block", after_block)
        < note_at
        < _position(in_turn, "data-block", before_block)
    )


def test_claim_without_block_goes_after_the_last_block_of_its_turn() -> None:
    report = report_with_attempts(
        [AttemptResult(turn=1, verdict="correct", claims=[claim(None)])], two_turns()
    )
    html = render_html(report)
    assert html.index('data-claim="q1a/1/1"') > html.index('data-block="1"', html.index('id="turn-1"'))
    assert "not tied to one block" in html


# --------------------------------------------------------------------------- content


@pytest.mark.parametrize(
    "fragment",
    [
        # header
        "<h1>000_sample.txt</h1>",
        "<dt>Homework</dt><dd>cs182-fa25-hw2</dd>",
        '<dd class="score">2/5</dd>',
        "<li>turn 3: math read from a lossy text layer</li>",
        # parts table: flags, hinted, points
        '<span class="flag">false_statement</span>',
        '<td class="num">0/3</td>',
        # math as MathML, display and inline, with the source in an annotation
        '<span class="mathml display"><math display="block"><semantics><mrow><mi>u</mi><mo>=</mo>',
        '<annotation encoding="application/x-tex">u = -\\frac{\\alpha}{2} g</annotation>',
        '<span class="mathml"><math display="inline"><semantics><mrow><msub><mi>L</mi><mn>2</mn></msub></mrow>',
        # lossy block is labelled
        "lossy text: math may be damaged",
        # attempt boundaries name their part
        '<span class="attempt" data-part="q1b" id="attempt-q1b-',
        # thinking collapsed and labelled
        '<details class="collapsible"><summary>Thinking (the model\'s reasoning, collapsed)</summary>',
        # annotation in its own style with the audit mark
        '<div class="annotation"><span class="block-label">Student note</span>',
        "✗ disagrees with the grader",
        # evidence: the separating instance
        "<dt>instance</dt><dd><code>alpha = 0.5; g = [1.0, -2.0]</code></dd>",
        # print styles
        "@media print",
    ],
)
def test_sample_html_contains(sample_report: Report, fragment: str) -> None:
    assert fragment in render_html(sample_report)


def test_residue_is_collapsed_and_labelled() -> None:
    transcript = two_turns()
    transcript.turns[1].blocks.append(Block(kind="residue", text="10:42 PM · copy · share"))
    html = render_html(report_with_attempts([], transcript))
    assert '<details class="collapsible"><summary>Chat UI residue (collapsed)</summary>' in html
    assert "10:42 PM · copy · share" in html


def test_annotation_note_without_block_is_still_shown() -> None:
    report = report_with_attempts([], two_turns())
    report.annotations = [AnnotationNote(turn=1, text="hallucinated the numbers", part="q1a", agrees=True)]
    html = render_html(report)
    body = html[html.index('id="turn-1"') :]
    assert "hallucinated the numbers" in body
    assert "✓ agrees with the grader" in body


# --------------------------------------------------------------------------- escaping


def hostile_report() -> Report:
    kinds = ["text", "math", "code", "table", "thinking", "annotation", "attachment", "residue"]
    transcript = Transcript(
        source=f"{SCRIPT}.txt",
        format="writeup-text",
        model=SCRIPT,
        turns=[Turn(index=0, role="assistant", blocks=[Block(kind=k, text=HOSTILE) for k in kinds])],  # type: ignore[arg-type]
        warnings=[SCRIPT],
    )
    bad = ClaimResult(
        answer=SCRIPT,
        text=IMG,
        verdict="incorrect",
        explanation=SCRIPT,
        interpreted=IMG,
        reference=SCRIPT,
        evidence={SCRIPT: IMG},
        source=SCRIPT,
        block=0,
    )
    part = PartResult(
        id=SCRIPT,
        first="incorrect",
        final="incorrect",
        reason=SCRIPT,
        variant=SCRIPT,
        attempts=[AttemptResult(turn=0, verdict="incorrect", claims=[bad])],
    )
    return Report(
        source=f"{SCRIPT}.txt",
        format=SCRIPT,
        model=SCRIPT,
        homework=SCRIPT,
        parts=[part],
        annotations=[AnnotationNote(turn=0, text=IMG, part=SCRIPT, agrees=False)],
        warnings=[IMG],
        transcript=transcript,
    )


def test_hostile_transcript_is_inert() -> None:
    scan = scan_html(render_html(hostile_report()))
    assert scan.tags("script") == []
    assert scan.tags("img") == []
    assert [e for e in scan.elements if any(a.startswith("on") for a in e.attrs)] == []
    hrefs = [e.attrs.get("href") or "" for e in scan.tags("a")]
    assert not [h for h in hrefs if "javascript" in h]
    # a disabled image becomes a plain link that nothing fetches, and that leaks no referrer
    external = [e for e in scan.tags("a") if not (e.attrs.get("href") or "").startswith("#")]
    assert external and all(e.attrs.get("rel") == "nofollow noopener noreferrer" for e in external)


@pytest.mark.parametrize(
    "shown",
    [
        # the script is shown as text, never dropped
        SCRIPT,
        # LaTeX with HTML inside is shown as source
        "<img src=x onerror=alert(1)>",
        "\\href{javascript:alert(1)}{y}",
    ],
)
def test_hostile_text_is_shown_as_text(shown: str) -> None:
    assert shown in scan_html(render_html(hostile_report())).all_text


# --------------------------------------------------------------------------- self-contained


def test_html_is_self_contained(sample_report: Report) -> None:
    scan = scan_html(render_html(sample_report))
    assert scan.tags("link") == [] and scan.tags("script") == []
    assert [e for e in scan.elements if "src" in e.attrs] == []
    assert len(scan.tags("style")) == 1
    assert all((e.attrs.get("href") or "").startswith("#") for e in scan.tags("a"))


def test_report_without_transcript_or_parts_renders() -> None:
    report = Report(source="empty.txt", format="writeup-text", homework="hw")
    html = render_html(report)
    assert "No part of the homework was found" in html
    assert "The transcript is not included in this report." in html


def test_rendering_is_deterministic() -> None:
    assert render_html(build_sample_report()) == render_html(build_sample_report())


def test_long_evidence_is_shortened_not_dropped() -> None:
    long_claim = ClaimResult(
        answer="u", text="x", verdict="incorrect", evidence={"values": list(range(1000))}, block=0
    )
    report = report_with_attempts(
        [AttemptResult(turn=1, verdict="incorrect", claims=[long_claim])], two_turns()
    )
    html = render_html(report)
    assert "[0, 1, 2, 3" in html and "…" in html
    assert "999]" not in html
