"""Thin Rasa GraphComponent wrappers around the plain functions in ``nlu``.

Referenced from config.yml by their full module path, one component per module.
"""
