"""Retention: purge transcript text older than COACHING_TRANSCRIPT_RETENTION_DAYS, keep scores, audit every purge."""
