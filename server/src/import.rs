//! CSV import of children and contacts (being written).
