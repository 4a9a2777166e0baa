"""Jobs that run by themselves: Ghost Protocol, follow-up sequences, outreach, and the exactly-once dispatcher.

`app.py` is the procrastinate worker (`realty worker`, or in-process via `start_background_jobs`);
`run.py` runs whatever is due at one moment (`realty jobs run-due`). Nothing here runs at import time.
"""
