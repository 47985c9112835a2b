"""Package data: reference tables with their sources (Basiszinssatz nach § 247 BGB)."""
