"""The learned conversion score: facts of stored leads, training with its hold-out gate, and each lead's likelihood."""
