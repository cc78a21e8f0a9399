//! The `kontera` command line: generate, serve.
fn main() {}
