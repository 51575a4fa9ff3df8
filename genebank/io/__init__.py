"""Exchange of data with spreadsheets: MCPD templates, import and export (.xlsx, .csv)."""
