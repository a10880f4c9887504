"""Flag categories and flags. Filled in by the flags issue; the app exists so the layout is final."""
