"""Viewings: free slots, booking, moving and cancelling (by lead or rep), Google Calendar, Zoom, .ics, reminders."""
