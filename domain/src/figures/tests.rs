//! Figures checked against worked examples and properties, on states built from mutations.

mod properties;
mod worked;
