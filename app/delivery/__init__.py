"""Delivery metrics: pure functions over a transcript's word list."""

from app.delivery.summary import analyze_delivery

__all__ = ["analyze_delivery"]
