"""PDF documents of the workflow (service contract, invoice), rendered with fpdf2 from plain
data in the bundled DejaVu fonts; this package knows nothing of the database or the UI."""
