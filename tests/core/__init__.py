"""The pure core: lead scoring, reading lead messages, and the policies (scarcity, alerts, slots, follow-up texts)."""
