"""A PDF's text layer as Debian's poppler `pdftotext` reads it, a twentieth of pypdf's time (CI installs poppler)."""

import subprocess

PDFTOTEXT = "/usr/bin/pdftotext"


def text_layer(content, *, layout=False):
    """The text of the PDF bytes `content`, pages ended by form feeds; `layout` keeps the columns where they print."""
    arguments = [PDFTOTEXT, *(["-layout"] if layout else []), "-", "-"]
    # Our own arguments and a PDF the portal made: no untrusted input.
    return subprocess.run(arguments, input=content, capture_output=True, check=True).stdout.decode("utf-8")  # noqa: S603


def pdf_text(content, *, layout=False):
    """The text layer with its white space collapsed to single spaces."""
    return " ".join(text_layer(content, layout=layout).split())
