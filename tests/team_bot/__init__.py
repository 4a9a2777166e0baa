"""The team bot: rep registration and admin approval, team management, hot-lead alerts to the team's chats."""
