//! Kontera's engine: domain types, identifiers, money and the chart of accounts.
