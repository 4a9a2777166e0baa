"""Units of work over storage, handed out by one provider (`agent.services.provider.open_services`)."""
