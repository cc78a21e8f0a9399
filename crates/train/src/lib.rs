//! Kontera's training side: turns the contract tables into labelled examples and fits models.
