"""Viewings on real calendars: Google Calendar per rep, Zoom meetings, free slots, .ics invitations, reminders.

Adapters (`google`, `zoom`) are thin and speak the providers' wire formats; `availability` and `ics` are pure;
`service` is the booking backend the lead tools call; `reminders` plans the messages around a viewing.
"""
