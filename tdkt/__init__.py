"""tdkt: the operator's command line (local stack, demo, imports, rebuilds, tokens)."""
