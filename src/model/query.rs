//! Queries found in `.sql` files (and later in code strings): what they touch and how.
