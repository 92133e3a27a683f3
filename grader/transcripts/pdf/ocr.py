"""OCR of the images of a page (screenshots of a chat) with the ``tesseract`` binary, when installed.

Every image that may hold text is read, on any page, not only on pages without a text layer:

- the image is rendered at (about) its own resolution, clipped from the page, with the text the page
  already holds painted out first (a typed note laid over a screenshot is read exactly from the text
  layer and must not come back a second time, garbled);
- a long screenshot is cut into tiles Tesseract accepts (it refuses images over 32,767 pixels), which
  overlap a little; a line read twice in an overlap is kept once;
- Tesseract returns word boxes (TSV); words become lines placed where they sit on the page, so that
  OCR'd text takes its place in the page's reading order and its geometry can tell the speakers
  apart like the text layer's (``meta['bg']`` is the background colour behind each line: a shaded
  chat bubble shows there);
- tiles are read in parallel, one Tesseract process per core, each bounded in time; what could not be
  read is named in a warning (never a silent gap).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from grader.transcripts.pdf.layout import Row
from grader.transcripts.pdf.ocr_ink import contrast, line_ink
from grader.transcripts.pdf.ocr_scale import enlargement
from grader.transcripts.pdf.page import ImageRef, PageData

Rect = tuple[float, float, float, float]

OCR_TIMEOUT_S = 60
"""Seconds one Tesseract run (one tile) may take."""
FILE_BUDGET_S = 240.0
"""Seconds of OCR (summed over tiles) one file may spend; what is left unread is named in a warning."""
MAX_TILES_PER_FILE = 400
DPI_RANGE = (110, 200)
MAX_DPI = 400.0
"""Highest resolution an image shown small is read at (its own resolution, when that is higher)."""
MAX_WIDTH_PX = 2000.0
"""Widest rendering of one image for OCR above :data:`DPI_RANGE`'s ceiling."""
TILE_PX = 3000
OVERLAP_PX = 80
MIN_CONFIDENCE = 35.0


def tesseract_available() -> bool:
    """True when the ``tesseract`` binary is on PATH."""
    return shutil.which("tesseract") is not None


@dataclass
class Tile:
    """One rendered piece of an image, ready for Tesseract."""

    page: int
    image: int
    image_rect: Rect
    clip: Rect
    dpi: float
    pixels: Any = None
    """The tile as a (height, width, 3) uint8 array (dropped once read)."""
    ppm: bytearray | None = None
    """The binary PPM file whose pixel data ``pixels`` is a view of, when rendered so (no copy to send)."""
    lines: list[Row] = field(default_factory=list)
    error: str | None = None

    @property
    def width(self) -> int:
        """Pixels across."""
        return int(self.pixels.shape[1]) if self.pixels is not None else 0

    @property
    def height(self) -> int:
        """Pixels down."""
        return int(self.pixels.shape[0]) if self.pixels is not None else 0

    def pnm(self) -> bytes | bytearray:
        """The tile as a binary PPM image (Tesseract reads it as it is: no PNG encoding)."""
        if self.ppm is not None:
            return self.ppm
        h, w = self.pixels.shape[:2]
        return b"P6\n%d %d\n255\n" % (w, h) + self.pixels.tobytes()


def _dpi(image: ImageRef) -> float:
    """The resolution to render an image at for OCR: its own (never upsampled past need, never below
    :data:`DPI_RANGE`'s floor). A screenshot shown small on the page (a tall chat pasted one per page)
    keeps up to :data:`MAX_DPI` so that its text is not shrunk below what Tesseract reads, while the
    rendered width stays within :data:`MAX_WIDTH_PX`."""
    width_pt = image.rect[2] - image.rect[0]
    native = image.width_px * 72.0 / width_pt if width_pt > 0 and image.width_px else 150.0
    cap = max(DPI_RANGE[1], min(MAX_DPI, MAX_WIDTH_PX * 72.0 / width_pt)) if width_pt > 0 else DPI_RANGE[1]
    return max(DPI_RANGE[0], min(cap, native))


def _tiles(page: Any, number: int, index: int, image: ImageRef, blank: list[Rect]) -> Iterator[Tile]:
    """Render one image of ``page`` tile by tile (at most :data:`TILE_PX` pixels high, overlapping a
    little), with the page's own text painted out (``blank``)."""
    import numpy as np
    import pymupdf

    x0, y0, x1, y1 = image.rect
    x0, y0 = max(x0, 0.0), max(y0, 0.0)
    x1, y1 = min(x1, page.rect.width), min(y1, page.rect.height)
    dpi = float(int(_dpi(image) * enlargement(page, (x0, y0, x1, y1), _dpi(image))))
    scale = dpi / 72.0
    tile_pt = TILE_PX / scale
    step = (TILE_PX - OVERLAP_PX) / scale
    top = y0
    while top < y1 - 1:
        bottom = min(y1, top + tile_pt)
        clip = pymupdf.Rect(x0, top, x1, bottom)
        pix = page.get_pixmap(dpi=int(dpi), clip=clip, annots=False, alpha=False)
        if pix.n != 3:
            pix = pymupdf.Pixmap(pymupdf.csRGB, pix)
        # one copy of the pixels, into the PPM file Tesseract will read (its header, then the pixels)
        header = b"P6\n%d %d\n255\n" % (pix.width, pix.height)
        ppm = bytearray(len(header) + pix.width * pix.height * 3)
        ppm[: len(header)] = header
        pixels = np.frombuffer(ppm, dtype=np.uint8, offset=len(header)).reshape(pix.height, pix.width, 3)
        rows = np.frombuffer(pix.samples_mv, dtype=np.uint8).reshape(pix.height, pix.stride)
        pixels[...] = rows[:, : pix.width * 3].reshape(pix.height, pix.width, 3)
        del rows, pix
        for r in blank:
            bx0, by0 = (
                int((max(r[0], clip.x0) - clip.x0) * scale) - 2,
                int((max(r[1], clip.y0) - clip.y0) * scale) - 2,
            )
            bx1, by1 = (
                int((min(r[2], clip.x1) - clip.x0) * scale) + 2,
                int((min(r[3], clip.y1) - clip.y0) * scale) + 2,
            )
            if bx1 > bx0 and by1 > by0:
                pixels[max(0, by0) : max(0, by1), max(0, bx0) : max(0, bx1)] = 255
        yield Tile(
            page=number,
            image=index,
            image_rect=image.rect,
            clip=(clip.x0, clip.y0, clip.x1, clip.y1),
            dpi=dpi,
            pixels=pixels,
            ppm=ppm,
        )
        if bottom >= y1:
            break
        top += step


def _background(tile: Tile, box: tuple[int, int, int, int]) -> tuple[float, float, float]:
    """The most common colour around a pixel box of the tile (what the text sits on)."""
    bx0, by0, bx1, by1 = box
    pad = 4
    bx0, by0 = max(0, bx0 - pad), max(0, by0 - pad)
    bx1, by1 = min(tile.width - 1, bx1 + pad), min(tile.height - 1, by1 + pad)
    if bx1 < bx0 or by1 < by0:
        return (1.0, 1.0, 1.0)
    ystep = max(1, (by1 - by0) // 8)
    xstep = max(1, (bx1 - bx0) // 40)
    sample = tile.pixels[by0 : by1 + 1 : ystep, bx0 : bx1 + 1 : xstep].reshape(-1, 3) >> 2
    counts: Counter[tuple[int, int, int]] = Counter(map(tuple, sample.tolist()))
    if not counts:
        return (1.0, 1.0, 1.0)
    r, g, b = counts.most_common(1)[0][0]
    return ((r * 4 + 2) / 255, (g * 4 + 2) / 255, (b * 4 + 2) / 255)


def _parse_tsv(tile: Tile, tsv: str) -> list[Row]:
    """Lines of Tesseract's TSV output, in page coordinates."""
    words: dict[tuple[int, int, int], list[tuple[int, int, int, int, float, str]]] = {}
    for line in tsv.splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if not text:
            continue
        try:
            key = (int(cols[2]), int(cols[3]), int(cols[4]))
            left, upper, width, height = (int(c) for c in cols[6:10])
            conf = float(cols[10])
        except ValueError:
            continue
        words.setdefault(key, []).append((left, upper, width, height, conf, text))
    scale = tile.dpi / 72.0
    rows: list[Row] = []
    for (block, par, _), ws in sorted(words.items(), key=lambda kv: min(w[1] for w in kv[1])):
        ws.sort(key=lambda w: w[0])
        conf = float(sum(w[4] for w in ws)) / len(ws)
        text = " ".join(w[5] for w in ws)
        if conf < MIN_CONFIDENCE and sum(ch.isalnum() for ch in text) < 12:
            continue  # a stray mark read off an icon or a chart
        px0 = min(w[0] for w in ws)
        py0 = min(w[1] for w in ws)
        px1 = max(w[0] + w[2] for w in ws)
        py1 = max(w[1] + w[3] for w in ws)
        top = tile.clip[1] + py0 / scale
        bottom = tile.clip[1] + py1 / scale
        heights = sorted(w[3] for w in ws)
        size = heights[len(heights) // 2] / scale / 0.72
        bg = _background(tile, (px0, py0, px1, py1))
        ink = line_ink(tile.pixels, [(w[0], w[1], w[0] + w[2], w[1] + w[3], w[5]) for w in ws], bg)
        rows.append(
            Row(
                page=tile.page,
                baseline=bottom,
                top=top,
                bottom=bottom,
                x0=tile.clip[0] + px0 / scale,
                x1=tile.clip[0] + px1 / scale,
                text=text,
                size=size,
                meta={
                    "source": "ocr",
                    "ocr": "tesseract",
                    "image": tile.image,
                    "image_rect": tile.image_rect,
                    "block": (tile.clip[1], block, par),
                    "bg": bg,
                    # the letters' colour and how far it stands from the background (``ocr_ink``)
                    **({"ink": ink, "contrast": contrast(ink, bg)} if ink is not None else {}),
                    "confidence": round(conf / 100, 2),
                },
            )
        )
    return rows


class OCRFailed(Exception):
    """Tesseract could not read one tile (the message says why)."""


def tesseract_tsv(image: bytes | bytearray) -> str:
    """Tesseract's word boxes (TSV) for one image (PNG or PNM bytes); raises OCRFailed saying why."""
    binary = shutil.which("tesseract")
    if binary is None:
        raise OCRFailed("tesseract is not installed")
    try:
        done = subprocess.run(
            [binary, "stdin", "stdout", "--psm", "3", "tsv"],
            input=image,
            capture_output=True,
            timeout=OCR_TIMEOUT_S,
            check=False,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},  # one process per core instead
        )
    except subprocess.TimeoutExpired:
        raise OCRFailed(f"OCR ran over {OCR_TIMEOUT_S} s") from None
    except OSError as exc:
        raise OCRFailed(f"tesseract could not run: {exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise OCRFailed(
            f"tesseract refused it ({message[-1] if message else 'exit ' + str(done.returncode)})"
        )
    return done.stdout.decode("utf-8", errors="replace")


def _run(tile: Tile) -> Tile:
    try:
        tile.lines = _parse_tsv(tile, tesseract_tsv(tile.pnm()))
    except OCRFailed as exc:
        tile.error = str(exc)
    tile.pixels = tile.ppm = None  # the rows keep what they need: the tile's memory goes now
    return tile


def _dedupe_overlaps(rows: list[Row]) -> list[Row]:
    """Keep one copy of a line read in the overlap of two tiles of one image."""
    out: list[Row] = []
    for r in sorted(rows, key=lambda r: (r.meta["image"], r.top, r.x0)):
        dup = any(
            o.meta["image"] == r.meta["image"]
            and abs(o.top - r.top) < 0.6 * max(r.bottom - r.top, 1.0)
            and abs(o.x0 - r.x0) < 8
            and o.text[:12] == r.text[:12]
            for o in out[-6:]
        )
        if not dup:
            out.append(r)
    return out


_THREADS: ContextVar[int | None] = ContextVar("grader_ocr_threads", default=None)


def ocr_threads() -> int:
    """How many Tesseract processes run at once: ``$GRADER_OCR_THREADS`` when set, else the limit of
    :func:`limit_ocr_threads` in effect, else the machine's cores (a batch's worker processes, one file per
    core, get 1)."""
    try:
        explicit = int(os.environ.get("GRADER_OCR_THREADS", "0"))
    except ValueError:
        explicit = 0
    return max(1, explicit or _THREADS.get() or os.cpu_count() or 1)


@contextmanager
def limit_ocr_threads(threads: int) -> Iterator[None]:
    """Run at most ``threads`` Tesseract processes at once within the block (this thread or task only):
    how ``grader grade --jobs 1`` keeps to one core."""
    token = _THREADS.set(max(1, threads))
    try:
        yield
    finally:
        _THREADS.reset(token)


def ocr_document(pages: list[Any], data: list[PageData], warnings: list[str]) -> None:
    """Read every text-bearing image of every page into ``PageData.ocr_rows`` (in place).

    Tiles are rendered one at a time (PyMuPDF is not thread-safe) and read by Tesseract processes in
    parallel, with only a few tiles in memory at once. Images already covered by the page's own text
    (a background, a rasterised copy) are skipped. Without Tesseract, each page whose images are not
    read gets a warning naming it and a placeholder where the image sits. Reading stops after
    :data:`MAX_TILES_PER_FILE` tiles or :data:`FILE_BUDGET_S` seconds, with a warning naming what was
    not read.
    """
    workers = ocr_threads()
    started = time.monotonic()
    done: list[Tile] = []
    pending: deque[Future[Tile]] = deque()
    skipped: list[str] = []
    count = 0
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for page, pd in zip(pages, data, strict=True):
            todo = distinct_images([im for im in pd.images if _worth_reading(im, pd)])
            if not todo:
                continue
            if not tesseract_available():
                warnings.append(
                    f"page {pd.number + 1}: {len(todo)} image(s) may hold text but were not read "
                    "(OCR needs the tesseract program: apt-get install tesseract-ocr)"
                )
                pd.ocr_rows = [_placeholder(pd.number, index, im) for index, im in enumerate(todo)]
                continue
            blank = [(r.x0, r.top, r.x1, r.bottom) for r in pd.rows + pd.notes]
            for index, image in enumerate(todo):
                if count >= MAX_TILES_PER_FILE or time.monotonic() - started > FILE_BUDGET_S:
                    skipped.append(f"page {pd.number + 1}")
                    pd.ocr_rows.append(_placeholder(pd.number, index, image))
                    continue
                try:
                    for tile in _tiles(page, pd.number, index, image, blank):
                        while len(pending) >= 2 * workers:
                            done.append(pending.popleft().result())
                        pending.append(pool.submit(_run, tile))
                        count += 1
                except Exception as exc:  # a broken image stream: say which, read the rest
                    warnings.append(f"page {pd.number + 1}: an image could not be rendered for OCR ({exc})")
        done += [f.result() for f in pending]
    if skipped:
        warnings.append(
            f"OCR stopped (over {MAX_TILES_PER_FILE} image tiles or {FILE_BUDGET_S:g} s); not read: "
            f"{', '.join(dict.fromkeys(skipped))}"
        )
    by_page: dict[int, list[Row]] = {}
    for tile in done:
        if tile.error:
            warnings.append(f"page {tile.page + 1}: part of an image could not be read by OCR: {tile.error}")
            continue
        by_page.setdefault(tile.page, []).extend(tile.lines)
    for number, rows in by_page.items():
        data[number].ocr_rows = data[number].ocr_rows + _dedupe_overlaps(rows)


def _placeholder(page: int, index: int, image: ImageRef) -> Row:
    """A row standing for an image that could not be read: it keeps its place in the chat."""
    x0, y0, x1, y1 = image.rect
    return Row(
        page=page,
        baseline=y0 + 1,
        top=y0,
        bottom=min(y1, y0 + 12),
        x0=x0,
        x1=x1,
        text="[image: not read]",
        size=10.0,
        lossy=True,
        meta={
            "source": "ocr",
            "image": index,
            "image_rect": image.rect,
            "placeholder": True,
            "bg": (1.0, 1.0, 1.0),
        },
    )


def distinct_images(images: list[ImageRef]) -> list[ImageRef]:
    """Images without a second copy of one image (exporters often draw a screenshot twice: a clipped
    copy inside its frame): an image that mostly lies over one already kept is left out, largest first.

    >>> a, b = ImageRef((36, 90, 560, 589), 100, 100), ImageRef((78, 126, 548, 532), 100, 100)
    >>> [i.rect for i in distinct_images([a, b, ImageRef((36, 600, 300, 700), 10, 10)])]
    [(36, 90, 560, 589), (36, 600, 300, 700)]
    """
    out: list[ImageRef] = []
    for im in sorted(images, key=lambda i: -_area(i.rect)):
        if _area(im.rect) < 1:
            continue
        if any(_overlap(im.rect, o.rect) >= 0.5 * min(_area(im.rect), _area(o.rect)) for o in out):
            continue
        out.append(im)
    return sorted(out, key=lambda i: (i.rect[1], i.rect[0]))


def _area(r: Rect) -> float:
    return max(0.0, r[2] - r[0]) * max(0.0, r[3] - r[1])


def _overlap(a: Rect, b: Rect) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _worth_reading(image: ImageRef, pd: PageData) -> bool:
    """An image worth OCR: big enough, and not already covered by text-layer rows."""
    x0, y0, x1, y1 = image.rect
    if x1 - x0 < 90 or y1 - y0 < 24:
        return False
    area = (x1 - x0) * (y1 - y0)
    covered = 0.0
    for r in pd.rows:
        if r.note:
            continue
        covered += max(0.0, min(x1, r.x1) - max(x0, r.x0)) * max(0.0, min(y1, r.bottom) - max(y0, r.top))
    # text drawn over the picture: a page background or a rasterised copy of the text layer
    return covered < 0.2 * area
