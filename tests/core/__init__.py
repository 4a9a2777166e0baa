"""The pure core: lead scoring, reading messages, the policies (scarcity, alerts, slots, follow-up texts)."""
