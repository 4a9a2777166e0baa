"""Agencies (tenants) run from the command line: their settings, their reps, their listings, and the default
agency a fresh install makes so reps can register at once.

`fields` checks each value an operator types; `agencies` creates, changes and finds agencies; `startup` is what
`realty bot` does with them when it starts; `reps` and `listings` are the operator's actions on reps and listings.
"""
