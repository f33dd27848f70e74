"""Law values: French legal time (CPC art. 640-642, working days) and exact euro amounts.

The lowest stage: it imports nothing of the rest of the package but its errors.
"""
