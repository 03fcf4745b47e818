"""The Engagementnachweis as a PDF (fpdf2), with the Lato TTF embedded and a QR code (segno).

Pure rendering: it gets a recorded certificate and the verification address and touches no
database, so the same certificate always gives the same text. Strings are translated in the
current locale, dates and hours formatted as on the pages."""

from __future__ import annotations

import io

import font_lato
import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from boerse.engagement.certificates import CertificateData, Line
from boerse.lib.formatting import date_short, number
from boerse.lib.i18n import gettext as _

FONT = "Lato"
MARGIN = 20


def _days(line: Line) -> str:
    if line.first_day == line.last_day:
        return date_short(line.first_day)
    return f"{date_short(line.first_day)} – {date_short(line.last_day)}"


def _hours(value: float) -> str:
    return _("{hours} Std.").format(hours=number(value, 2))


def _qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    return buffer


class _Document(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.add_font(FONT, "", font_lato.font_files["Lato"])
        self.add_font(FONT, "B", font_lato.font_files["LatoBold"])
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN + 5)

    def footer(self) -> None:
        self.set_y(-MARGIN)
        self.set_font(FONT, "", 8)
        self.cell(0, 5, self.footer_text, align="C")


def render_certificate(certificate: CertificateData, verify_url: str) -> bytes:
    pdf = _Document(
        _("Prüfcode {code} · {url}").format(code=certificate.display_code, url=verify_url)
    )
    pdf.set_title(_("Engagementnachweis"))
    pdf.set_author(certificate.issuer)
    pdf.set_creation_date(certificate.issued_at)
    pdf.add_page()
    full = dict(new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    pdf.set_font(FONT, "", 11)
    pdf.multi_cell(0, 6, certificate.issuer, align="L", **full)
    pdf.ln(8)
    pdf.set_font(FONT, "B", 22)
    pdf.cell(0, 12, _("Engagementnachweis"), **full)
    pdf.ln(4)
    pdf.set_font(FONT, "", 12)
    pdf.multi_cell(
        0,
        7,
        _(
            "Hiermit wird bestätigt, dass {name} sich im Zeitraum vom {start} bis {end} "
            "ehrenamtlich engagiert hat: insgesamt {hours} bestätigte Stunden."
        ).format(
            name=certificate.holder_name,
            start=date_short(certificate.period_start),
            end=date_short(certificate.period_end),
            hours=number(certificate.total_hours, 2),
        ),
        align="L",
        **full,
    )
    pdf.ln(4)
    pdf.set_font(FONT, "", 10)
    with pdf.table(
        col_widths=(32, 40, 26, 14),
        text_align=("LEFT", "LEFT", "LEFT", "RIGHT"),
        line_height=6,
        first_row_as_headings=True,
    ) as table:
        heading = table.row()
        for title in (_("Organisation"), _("Angebot"), _("Datum"), _("Stunden")):
            heading.cell(title)
        for line in certificate.lines:
            row = table.row()
            row.cell(line.organisation)
            row.cell(line.opportunity)
            row.cell(_days(line))
            row.cell(number(line.hours, 2))
        last = table.row()
        bold = FontFace(emphasis="BOLD")
        last.cell(_("Insgesamt"), colspan=3, style=bold)
        last.cell(number(certificate.total_hours, 2), style=bold)
    pdf.ln(6)
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(
        0,
        5,
        _(
            "Gezählt sind Termine, bei denen die anbietende Organisation die Teilnahme "
            "erfasst hat, und gemeldete Stunden, die sie bestätigt hat."
        ),
        align="L",
        **full,
    )
    pdf.ln(4)
    pdf.cell(
        0,
        6,
        _("Ausgestellt am {date} von {issuer}").format(
            date=date_short(certificate.issued_at), issuer=certificate.issuer
        ),
        align="L",
        **full,
    )
    pdf.ln(6)
    if pdf.get_y() > pdf.h - MARGIN - 50:
        pdf.add_page()
    top = pdf.get_y()
    pdf.image(_qr_png(verify_url), x=MARGIN, y=top, w=35, h=35)
    pdf.set_xy(MARGIN + 40, top)
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 6, _("Echtheit prüfen"), new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(
        0,
        5,
        _(
            "Wer diesen Nachweis erhält, kann ihn online prüfen: QR-Code scannen oder die "
            "Adresse öffnen und den Prüfcode eingeben."
        ),
        align="L",
        new_x=XPos.LEFT,
        new_y=YPos.NEXT,
    )
    pdf.set_font(FONT, "B", 12)
    pdf.cell(
        0,
        7,
        _("Prüfcode: {code}").format(code=certificate.display_code),
        new_x=XPos.LEFT,
        new_y=YPos.NEXT,
    )
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(0, 5, verify_url, new_x=XPos.LEFT, new_y=YPos.NEXT)
    return bytes(pdf.output())
