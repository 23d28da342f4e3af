"""The PDF checks in tests/pdf.py fail on what they are meant to catch: a blank page, a picture
come out as solid black, words printed over each other, missing words."""

from __future__ import annotations

import pytest

from tests.pdf import assert_pages_render, colour_share, pdf_words

PAGE = "<style>@page {{ size: A4; margin: 2cm }} body {{ font-family: 'DejaVu Sans' }}</style>{}"
TEXT = "<h1>Career plan</h1><p>Social worker → Senior practitioner: about 3 years.</p>"


def pdf(body: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=PAGE.format(body)).write_pdf()


def test_a_page_of_text_passes_and_reads_back(tmp_path):
    data = pdf(
        TEXT + '<svg width="200" height="80"><rect width="200" height="80" fill="#d4351c"/></svg>'
    )
    assert pdf_words(data) == "Career plan Social worker → Senior practitioner: about 3 years."
    [page] = assert_pages_render(data, tmp_path)
    assert colour_share(page, (0xD4, 0x35, 0x1C)) > 0.01
    assert colour_share(page, (0xE8, 0xF1, 0xFB)) == 0


def test_a_blank_page_fails(tmp_path):
    data = pdf(TEXT + '<p style="break-before: page">&nbsp;</p>')
    with pytest.raises(AssertionError, match=r"^page 2 is blank$"):
        assert_pages_render(data, tmp_path)


def test_a_picture_come_out_black_fails(tmp_path):
    # an SVG with no fill paints black: what WeasyPrint made of the role map without its styles
    data = pdf(TEXT + '<svg width="400" height="200"><rect width="400" height="200"/></svg>')
    with pytest.raises(AssertionError, match=r"^page 1 has a solid black region of \d+ squares"):
        assert_pages_render(data, tmp_path)


def test_a_black_box_smaller_than_a_picture_passes(tmp_path):
    data = pdf(TEXT + '<svg width="30" height="15"><rect width="30" height="15"/></svg>')
    assert_pages_render(data, tmp_path)


def test_words_printed_over_each_other_fail(tmp_path):
    over = '<p style="position: absolute; top: 5cm; left: 2.2cm">{}</p>'
    data = pdf(TEXT + over.format("Specialist practice") + over.format("Advanced"))
    with pytest.raises(AssertionError, match="page 1: 'Specialist' over 'Advanced'"):
        assert_pages_render(data, tmp_path)
