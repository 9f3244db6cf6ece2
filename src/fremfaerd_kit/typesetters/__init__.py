"""Typesetters: one document, written in Markdown by the templates, set for each medium:
A4/Letter PDF (`pdf`), 16:9 slides (`slides`), Word (`word`), and the print shop's
PDF/X-1a conversion (`pdfx`). None holds words of its own."""
