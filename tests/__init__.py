"""The tests, one folder per feature; shared fixtures in conftest.py, shared set-up in *_support.py and fakes/."""
