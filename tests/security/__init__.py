"""Regression tests for the holes of the security issue: each failed before its fix."""
