"""Question PDFs built by the tests with PyMuPDF (invented text, laid out as LaTeX sets a homework)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

pymupdf = pytest.importorskip("pymupdf")

BODY, HEAD = 10.5, 14.0


def _width(label: str) -> float:
    return float(pymupdf.get_text_length(label, fontname="helv", fontsize=BODY))


@dataclass
class Layout:
    """Writes lines page by page: headings at the margin, parts indented, furniture on every page."""

    title: str = "Homework 3"
    header: str = "Course X: Deep Things, Homework 3 @ 2031-01-01"
    pages: list[list[tuple[float, float, str, str, float]]] = field(default_factory=lambda: [[]])
    y: float = 120.0

    def _put(self, x: float, text: str, font: str = "helv", size: float = BODY, dy: float = 14.0) -> None:
        if self.y > 700:
            self.pages.append([])
            self.y = 80.0
        self.pages[-1].append((x, self.y, text, font, size))
        self.y += dy

    def heading(self, text: str, font: str = "hebo") -> Layout:
        self.y += 8
        self._put(56, text, font, HEAD, 20)
        return self

    def body(self, text: str) -> Layout:
        self._put(72, text)
        return self

    def part(self, label: str, text: str) -> Layout:
        """A lettered part: label right-aligned before x=92, text at x=96 (as LaTeX's enumerate)."""
        self.pages[-1].append((92 - _width(label), self.y, label, "helv", BODY))
        self._put(96, text)
        return self

    def cont(self, text: str) -> Layout:
        """A continuation line of a lettered part's text."""
        self._put(96, text)
        return self

    def sub(self, label: str, text: str) -> Layout:
        """A roman sub-part: label right-aligned before x=112, text at x=116."""
        self.pages[-1].append((112 - _width(label), self.y, label, "helv", BODY))
        self._put(116, text)
        return self

    def at(self, x: float, text: str, font: str = "helv", size: float = BODY) -> Layout:
        """A line anywhere (an equation number, a subscript, an algorithm line)."""
        self._put(x, text, font, size)
        return self

    def write(self, path: Path) -> Path:
        doc = pymupdf.open()
        fonts = {"helv": pymupdf.Font("helv"), "hebo": pymupdf.Font("hebo")}
        for n, lines in enumerate(self.pages, 1):
            page = doc.new_page(width=612, height=792)
            writer = pymupdf.TextWriter(page.rect)
            writer.append((74, 34), self.header, font=fonts["helv"], fontsize=9)
            if n == 1:
                writer.append((420, 90), self.title, font=fonts["helv"], fontsize=20)
            for x, y, text, font, size in lines:
                writer.append((x, y), text, font=fonts[font], fontsize=size)
            writer.append(
                (72, 750), "Course X, all rights reserved; do not post.", font=fonts["helv"], fontsize=9
            )
            writer.append((536, 750), str(n), font=fonts["helv"], fontsize=9)
            writer.write_text(page)
        doc.save(str(path))
        doc.close()
        return path


def toy_homework() -> Layout:
    """An invented homework with every numbering case the reader handles."""
    lay = Layout()
    lay.heading("1. Gradient Flow on a Toy Quadratic")
    lay.body("We study a scalar quadratic loss whose curvature is a positive constant.")
    lay.part("(a)", "Derive the continuous time trajectory of the iterate under gradient flow.")
    lay.part("(b)", "Show that discretising the flow with a large step makes the walrus iteration")
    lay.cont("oscillate, and find the largest stable step size.")
    lay.part("(c)", "Consider two curvatures at once.")
    lay.sub("(i)", "Which coordinate of the pelican system converges first?")
    lay.sub("(ii)", "Which step size balances the two contraction factors?")
    lay.heading("2. Counting Tokens in a Sliding Window")
    lay.body("A window of width w slides over a sequence of n tokens with stride one.")
    lay.body("How many windows contain the first token of the marmalade sequence?")
    lay.at(78, "5: Repeat until the window reaches the end", "helv", 9)
    lay.heading("3. Sketching Random Features")
    lay.body("Random features approximate a kernel with a finite sum of cosines.")
    for letter in "abcdefgh":
        lay.part(f"({letter})", f"Question {letter} about the quokka feature map and its variance bound.")
    lay.at(480, "i.")
    lay.part("(i)", "Explain why the ninth estimate of the quokka feature map is unbiased.")
    lay.y = 800  # next page
    lay.heading("The following are practice problems for your reference only.", "hebo")
    lay.heading("4. Old Exam Problem on Attention Temperature")
    lay.body("Attention scores are divided by a temperature before the softmax.")
    lay.part("(a)", "(4pts) What happens to the softmax of the narwhal scores as the temperature grows?")
    lay.part("(b)", "(Optional) Sketch the entropy of the weights against the temperature.")
    return lay


@pytest.fixture()
def toy_pdf(tmp_path: Path) -> Path:
    """The toy homework as a PDF file."""
    return toy_homework().write(tmp_path / "hw3.pdf")
