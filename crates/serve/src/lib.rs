//! Kontera's HTTP service.
