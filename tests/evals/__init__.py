"""The evals: the suite format, the runner, trajectory matching, and the shipped suites on the offline model."""
