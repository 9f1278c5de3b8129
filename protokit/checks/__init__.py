"""Checks over compiled descriptors: lint and breaking-change rules."""
