"""Unit reports and the consolidated report (built in the unit-reports and consolidation issues)."""
