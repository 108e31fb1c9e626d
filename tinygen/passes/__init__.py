"""Graph -> plan: constant folding, the static memory plan, and the inspect report built on them."""
