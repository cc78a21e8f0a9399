//! Kontera's engine: domain types, identifiers, money and the chart of accounts.

pub mod chart;
pub mod coding;
pub mod creditor;
pub mod directory;
pub mod ids;
pub mod invoice;
pub mod model;
pub mod money;
pub mod posting;
pub mod precedence;
pub mod screen;
pub mod trust;
pub mod unit;
pub mod unknown;

pub use chart::{
    AccountChange, AccountEntry, ChangeKind, Chart, ChartError, ChartUpdate, Mapping, UpdateError,
    UpdateRow,
};
pub use coding::{
    AccountId, CodeError, CodeErrorReason, Coding, CostCentre, MAX_CODE_LEN, ProjectId, VatCode,
};
pub use creditor::{Creditor, CreditorId};
pub use ids::{Cvr, Gln, IdError, IdKind, cpr};
pub use invoice::{DocumentType, Invoice, InvoiceId, InvoiceLine, VatCategory};
pub use money::{Currency, Money, MoneyError};
pub use posting::Posting;
pub use unit::{Area, Unit, UnitId};
pub use unknown::UnknownValue;
