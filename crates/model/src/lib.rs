//! The model artifact: a fitted [`CodingModel`] with its automation [`Policy`] and [`ModelCard`],
//! written by the trainer and loaded by the service.
//!
//! On disk a model is a directory with `model.bin` (authoritative: a versioned, checksummed
//! envelope around a `postcard` payload, see [`envelope`]) and `card.json` (the card and policy
//! for people and reviews; never read back). Loading never trusts the file: the envelope is
//! checked, then every part of the payload is validated before the core types are built.
//! The same model, policy and card always give byte-identical files.
//!
//! [`CodingModel`]: kontera_core::model::CodingModel

mod artifact;
mod card;
mod dir;
mod directory;
mod dto;
pub mod envelope;
mod error;
mod fingerprint;
mod policy;
mod validate;

pub use artifact::Artifact;
pub use card::ModelCard;
pub use dir::{CARD_FILE, MODEL_FILE, load, save};
pub use envelope::{
    FORMAT_VERSION, HEADER_LEN, MAGIC, OLDEST_READABLE_VERSION, checksum_hex, decode, encode,
};
pub use error::{Invalid, ModelError};
pub use fingerprint::Fingerprint;
pub use policy::Policy;
