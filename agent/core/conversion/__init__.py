"""The learned conversion likelihood: features of a lead, and a stored logistic model scored in pure Python.

`features` turns what we know of a lead (`ConversionFacts`) into the model's numbers; `model` holds a
trained model (`ConversionModel`, stored as JSON, never pickled) and scores a lead with it (`likelihood`),
with each factor group's contribution to the log-odds, so the top factors for and against can be worded.
"""
