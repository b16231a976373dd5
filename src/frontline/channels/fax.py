"""The first page of a fax as a PNG: pure, no database, no settings.

Fax-to-mail gateways send each fax as a PDF or a TIFF attachment. Agents see the first
page in the workspace without opening the file; a document that cannot be rendered is
reported (:class:`PreviewFailed`) so the contact is still made, flagged, without one.
"""

from __future__ import annotations

import io
import warnings

import pypdfium2
from PIL import Image

FAX_TYPES = frozenset({"application/pdf", "image/tiff"})
# The preview fits a workspace column; a fax page at 200 dpi is about 1700 x 2200 pixels.
PREVIEW_WIDTH = 800
PREVIEW_HEIGHT = 1200
# A TIFF claiming more pixels than this is refused before it is decoded (a page at
# 400 dpi is 3400 x 4400): a small file must not make the intake allocate gigabytes.
MAX_SOURCE_PIXELS = 40_000_000


class PreviewFailed(ValueError):
    """The document could not be read; the reason is in the message."""


def first_page_png(data: bytes, content_type: str) -> bytes:
    """``data`` (a PDF or TIFF, by its sniffed type) → its first page as a PNG."""
    if content_type == "application/pdf":
        page = _pdf_first_page(data)
    elif content_type == "image/tiff":
        page = _tiff_first_page(data)
    else:
        raise PreviewFailed(f"not a fax document: {content_type}")
    page.thumbnail((PREVIEW_WIDTH, PREVIEW_HEIGHT))
    out = io.BytesIO()
    page.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _pdf_first_page(data: bytes) -> Image.Image:
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise PreviewFailed(f"unreadable PDF: {exc}") from exc
    try:
        if len(document) == 0:
            raise PreviewFailed("the PDF has no pages")
        page = document[0]
        width, height = page.get_size()
        if width <= 0 or height <= 0:
            raise PreviewFailed("the PDF's first page has no size")
        # Rendered straight at preview size: a poster-sized page costs no more than A4.
        scale = min(PREVIEW_WIDTH / width, PREVIEW_HEIGHT / height, 4.0)
        image: Image.Image = page.render(scale=scale, grayscale=True).to_pil()
        page.close()
        return image.convert("L")
    except pypdfium2.PdfiumError as exc:
        raise PreviewFailed(f"unreadable PDF: {exc}") from exc
    finally:
        document.close()


def _tiff_first_page(data: bytes) -> Image.Image:
    try:
        # Pillow warns about damaged tags and reads on; what matters is whether the
        # page decodes, which raises if it does not. (The filter is process-wide for a
        # moment: at worst another thread's warning goes unshown.)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _decoded_tiff_page(data)
    except PreviewFailed:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise PreviewFailed(f"unreadable TIFF: {exc}") from exc


def _decoded_tiff_page(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        if image.format != "TIFF":
            raise PreviewFailed(f"not a TIFF: {image.format}")
        width, height = image.size
        if width * height > MAX_SOURCE_PIXELS:
            raise PreviewFailed(f"the TIFF page is too large: {width} x {height}")
        image.seek(0)
        # Fax TIFFs are 1-bit (CCITT G3/G4); grey scales down without jagged text.
        return image.convert("L")
