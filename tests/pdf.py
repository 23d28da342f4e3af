"""Reading the PDFs the product makes as a person would: their words (poppler's pdftotext) and
each page as a picture (poppler's pdftoppm), so a test fails when the words a reader expects are
missing, or when a page, or a picture on it, comes out blank or as a block of black, or when
words print over each other.

Pillow reads the page images: WeasyPrint, which makes the PDFs, depends on it.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
from collections import deque
from itertools import combinations
from pathlib import Path

import pytest
from PIL import Image, ImageChops

RESOLUTION = 50  # dots per inch: enough to see a map's boxes, quick to render
INK = 230  # a grey level below this is ink rather than white paper
MIN_INK = 0.002  # a page with less ink than this share of its pixels is blank
BLACK = 40  # a grey level below this is black (the darkest fill the product draws is ~50)
BLOCK = 8  # pixels a side of the squares a page is cut into to look for solid black
SOLID = 0.9  # a square this share black is solid black: text and rules never fill one
MAX_BLACK_BLOCKS = 12  # about 2 cm²: a black region larger than this is a failed picture
ROUTE_RED = (0xD4, 0x35, 0x1C)  # the role map's colours (app.css and pdf-map.css): the route,
OPEN_ROLE = (0xE8, 0xF1, 0xFB)  # non-management roles' pale blue,
MANAGEMENT_ROLE = (0x1D, 0x35, 0x57)  # and management roles' dark blue
OVERPRINT = 0.25  # two words whose boxes share this much of the smaller one print over each other


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is missing: apt-get install poppler-utils (.ci/run installs it)")
    return path


def pdf_text(data: bytes) -> str:
    """The PDF's text as laid out on its pages (``pdftotext -layout``)."""
    assert data.startswith(b"%PDF"), data[:200]
    result = subprocess.run(
        [_poppler("pdftotext"), "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def pdf_words(data: bytes) -> str:
    """The PDF's words in reading order (``pdftotext`` without ``-layout``, which keeps a table
    cell's wrapped lines together rather than interleaving them with the next column's), every
    run of spaces and line breaks made one space: a test can look for a phrase wherever the
    layout happened to break its lines."""
    assert data.startswith(b"%PDF"), data[:200]
    result = subprocess.run(
        [_poppler("pdftotext"), "-", "-"], input=data, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode("utf-8").split())


_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def overprinted_words(data: bytes) -> list[str]:
    """Words printed over one another (say, headings too wide for their columns), from the
    word boxes ``pdftotext -bbox`` reports: "page 1: 'specialist' over '4.'"."""
    result = subprocess.run(
        [_poppler("pdftotext"), "-bbox", "-", "-"], input=data, capture_output=True, check=True
    )
    found = []
    for number, page in enumerate(result.stdout.decode("utf-8").split("<page ")[1:], 1):
        words = [(*map(float, box), html.unescape(word)) for *box, word in _WORD.findall(page)]
        for a, b in combinations(words, 2):
            across = min(a[2], b[2]) - max(a[0], b[0])
            down = min(a[3], b[3]) - max(a[1], b[1])
            if across <= 0 or down <= 0:
                continue
            smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
            if across * down > OVERPRINT * smaller:
                found.append(f"page {number}: {a[4]!r} over {b[4]!r}")
    return found


def rendered_pages(data: bytes, tmp_path: Path) -> list[Image.Image]:
    """Every page of the PDF as an RGB image at RESOLUTION dots per inch (``pdftoppm -png``)."""
    assert data.startswith(b"%PDF"), data[:200]
    folder = Path(tempfile.mkdtemp(prefix="pdf-pages-", dir=tmp_path))  # one per PDF
    source = folder / "document.pdf"
    source.write_bytes(data)
    subprocess.run(
        [_poppler("pdftoppm"), "-png", "-r", str(RESOLUTION), str(source), str(folder / "page")],
        capture_output=True,
        check=True,
    )
    files = sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    assert files, "pdftoppm rendered no pages"
    pages = []
    for file in files:
        with Image.open(file) as image:
            pages.append(image.convert("RGB"))
    return pages


def black_regions(page: Image.Image) -> list[tuple[int, tuple[int, int, int, int]]]:
    """Regions of solid black on a page, largest first: (area in BLOCK squares, pixel box)."""
    black = page.convert("L").point(lambda v: 255 if v < BLACK else 0)
    columns, rows = black.width // BLOCK, black.height // BLOCK
    shares = black.crop((0, 0, columns * BLOCK, rows * BLOCK)).reduce(BLOCK)
    solid = {
        (x, y)
        for y in range(rows)
        for x in range(columns)
        if shares.getpixel((x, y)) >= 255 * SOLID
    }
    regions = []
    while solid:
        start = solid.pop()
        queue, cells = deque([start]), [start]
        while queue:
            x, y = queue.popleft()
            for near in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
                if near in solid:
                    solid.remove(near)
                    queue.append(near)
                    cells.append(near)
        xs, ys = [c[0] for c in cells], [c[1] for c in cells]
        box = (min(xs) * BLOCK, min(ys) * BLOCK, (max(xs) + 1) * BLOCK, (max(ys) + 1) * BLOCK)
        regions.append((len(cells), box))
    return sorted(regions, reverse=True)


def page_problems(page: Image.Image) -> list[str]:
    """What is wrong with a rendered page: blank, or with a picture come out as solid black."""
    histogram = page.convert("L").histogram()
    pixels = page.width * page.height
    problems = []
    if sum(histogram[:INK]) < MIN_INK * pixels:
        problems.append("is blank")
    for area, box in black_regions(page):
        if area > MAX_BLACK_BLOCKS:
            problems.append(f"has a solid black region of {area} squares at {box}")
    return problems


def assert_pages_render(data: bytes, tmp_path: Path) -> list[Image.Image]:
    """Render every page; fail if a page is blank, a picture on it came out black, or words
    print over each other. Returns the pages for further checks (see :func:`colour_share`)."""
    pages = rendered_pages(data, tmp_path)
    problems = [
        f"page {number} {problem}"
        for number, page in enumerate(pages, 1)
        for problem in page_problems(page)
    ]
    problems += overprinted_words(data)
    assert not problems, "; ".join(problems)
    return pages


def colour_share(page: Image.Image, rgb: tuple[int, int, int], tolerance: int = 8) -> float:
    """The share of a page's pixels within ``tolerance`` (per channel) of the colour ``rgb``:
    a test can ask that a picture shows in its colours rather than not at all."""
    near = None
    for band, value in zip(page.convert("RGB").split(), rgb, strict=True):
        mask = band.point(lambda v, c=value: 255 if abs(v - c) <= tolerance else 0)
        near = mask if near is None else ImageChops.darker(near, mask)  # both within reach
    return near.histogram()[255] / (page.width * page.height)
