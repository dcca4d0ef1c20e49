"""The printed course: materials, participant packs and the course book as PDFs.

documents.py turns the content model into print HTML (no Markdown is parsed here: it reads
the model's typed blocks), engine.py is the only importer of the PDF engine (WeasyPrint, chosen
by measurement: scripts/bench_pdf.py), and build.py writes a language's PDFs, rendering again
only those whose HTML, fonts or engine changed.
"""
