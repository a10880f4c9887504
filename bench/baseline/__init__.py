"""The floor to compare intake with: a bare DRF create endpoint on the same database (bench settings only)."""
