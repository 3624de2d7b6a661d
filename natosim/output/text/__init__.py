"""Text formats of reports: JSON, CSV and Markdown, and writing them to files safely."""
