"""English: every text a lead, a rep or an admin reads, one module per area (see prompts.catalogue)."""
