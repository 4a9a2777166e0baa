"""The web benchmark's parts: the agency-group generator, the server process, the load and its report."""
