"""A tiny HTML scanner for the tests (stdlib ``html.parser``): tags, attributes and text."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]


@dataclass
class Scan:
    elements: list[Element] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def with_attr(self, name: str) -> list[Element]:
        return [e for e in self.elements if name in e.attrs]

    def tags(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    @property
    def all_text(self) -> str:
        return "".join(self.text)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = Scan()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scan.elements.append(Element(tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.scan.text.append(data)


def scan_html(html: str) -> Scan:
    """Parse ``html`` and return its elements and text."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.scan
