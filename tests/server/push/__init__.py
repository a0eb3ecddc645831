"""Tests for reminders by Web Push (server/push)."""
