"""The PDF engine: WeasyPrint, the only importer of it (chosen over Chromium's print by
scripts/bench_pdf.py: contents page numbers need CSS `target-counter`, which Chromium does not
do, and Chromium stamps each PDF with the time it was made)."""
from __future__ import annotations

import logging


def engine_version() -> str:
    import weasyprint
    return f"weasyprint {weasyprint.__version__}"


def html_to_pdf(html: str, base_url: str) -> bytes:
    """The PDF of a self-contained HTML document, the same bytes for the same HTML and fonts."""
    import weasyprint
    logging.getLogger("weasyprint").setLevel(logging.ERROR)    # its CSS notices are ours to test, not to print
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html, base_url=base_url)
    # No creation or modification date in the file: the same sources give the same bytes.
    return document.write_pdf(uncompressed_pdf=False, custom_metadata=False, pdf_identifier=b"teach-forward")
