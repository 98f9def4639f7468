"""Everything argmap writes for people and tools: reports, exports, pictures."""
