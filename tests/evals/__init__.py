"""The evals: the suite format, the runner, trajectory matching, the shipped suites on the offline model."""
