"""Reports on one organisation's plans (plans without a valid study right, workplace periods in a
date range, data quality), as rows that pages show as tables and download as CSV, and the data
quality rules (`quality`) that other surfaces (alerts) reuse."""
