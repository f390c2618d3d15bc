"""Multilingual NLU for Tradewind.

Plain functions live in the top-level modules (``language``, ``numbers``,
``currency``, ``countries``, ``tokenization``, ``translation``) and are
usable without Rasa.  ``nlu.components`` holds thin Rasa ``GraphComponent``
wrappers around them, one per module, referenced from ``config.yml``.
"""
