"""The self-service assistant: public articles, data lookups and a hand-off to agents."""
