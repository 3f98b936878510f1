"""Forms of the awards app, one module per area (crispy-forms, Bootstrap 5)."""
