"""Fax documents made as a fax-to-mail gateway sends them: a real PDF, a real G4 TIFF."""

from __future__ import annotations

import io
from email import policy
from email.message import EmailMessage

from fpdf import FPDF
from PIL import Image, ImageDraw

GATEWAY = "fax-gateway@fax.example"
# A fax page at 200 x 200 dpi (ITU-T T.4 fine resolution), A4 width.
PAGE = (1728, 2292)


def fax_pdf(pages: int = 2) -> bytes:
    """An A4 PDF whose first page has a heading in its top-left corner."""
    pdf = FPDF(format="A4")
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("helvetica", style="B", size=48)
        pdf.cell(text=f"ORDER PAGE {number}")
    return bytes(pdf.output())


def fax_tiff() -> bytes:
    """A two-page 1-bit CCITT G4 TIFF: a black block top-left on page 1, page 2 all black."""
    first = Image.new("1", PAGE, 1)
    ImageDraw.Draw(first).rectangle((100, 100, 800, 400), fill=0)
    second = Image.new("1", PAGE, 0)
    out = io.BytesIO()
    first.save(out, format="TIFF", compression="group4", save_all=True, append_images=[second])
    return out.getvalue()


def fax_mail(
    document: bytes,
    filename: str,
    *,
    message_id: str,
    subject: str = "Fax from +7 843 555-01-02",
    sender: str = GATEWAY,
) -> bytes:
    """The gateway's message: a line of text and the document, declared by its extension."""
    message = EmailMessage()
    message["From"] = f"Fax gateway <{sender}>"
    message["To"] = "fax-orders@frontline.test"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    # Gateways mark their mail automatic; a fax must still become a contact.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content("You have received a fax of 2 pages.")
    kind = ("application", "pdf") if filename.endswith(".pdf") else ("image", "tiff")
    message.add_attachment(document, maintype=kind[0], subtype=kind[1], filename=filename)
    return message.as_bytes(policy=policy.SMTP)  # CRLF line ends, as on the wire
