//! Received invoices and credit notes, as read from an e-invoice (OIOUBL or Peppol BIS 3).

mod document;
mod document_type;
mod id;
mod line;
mod vat_category;

pub use document::Invoice;
pub use document_type::DocumentType;
pub use id::InvoiceId;
pub use line::InvoiceLine;
pub use vat_category::VatCategory;
