"""Use cases: each public function is one transaction, calling the domain for the rules."""
