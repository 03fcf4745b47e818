"""The websites an admin allows to show the widget in a frame."""

from piccolo.columns import Timestamptz, Varchar
from piccolo.table import Table


class EmbeddingHost(Table):
    """One allowed origin (`https://www.lindenau.de`), as it goes into the widget's
    `Content-Security-Policy: frame-ancestors`; checked and normalised before it is stored,
    so it can never carry a `;` or a space into the header."""

    origin = Varchar(length=200, unique=True)
    added_at = Timestamptz()
