//! The [`Table`](crate::Table) implementations, one file per table.

mod accounts;
mod creditors;
mod invoice_lines;
mod invoices;
mod postings;
mod units;
