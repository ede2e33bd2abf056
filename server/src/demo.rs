//! Demo setting generator (being written).
