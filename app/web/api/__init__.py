"""The JSON API under /api/v1 (docs/contract.md)."""
