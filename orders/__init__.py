"""The order domain: intake, catalogue, checks, life cycle, edits and messages."""
