"""Viewings: free slots, booking, moves and cancels by lead or rep, Google Calendar, Zoom, .ics, reminders."""
