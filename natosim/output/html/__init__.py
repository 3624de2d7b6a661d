"""The report as one self-contained HTML page: tables, inline SVG charts, nothing fetched."""
