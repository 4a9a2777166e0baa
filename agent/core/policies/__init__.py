"""Pure sales policies: what may be said, when to alert, which times are free. No I/O in here."""
