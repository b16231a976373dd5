"""Call scripts per queue: steps, branches, variables and rotated greetings."""
