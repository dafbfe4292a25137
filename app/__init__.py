"""FOI case tracker and public disclosure log."""
