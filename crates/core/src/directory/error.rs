//! Why a directory cannot be built. Ids are named (they are never CPR numbers: an id that holds
//! one is refused without echoing it).

/// An inconsistency in a directory's entries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DirectoryError {
    #[error("unit `{id}` appears twice; unit ids are unique")]
    DuplicateUnit { id: String },

    #[error("GLN {gln} belongs to two units (`{first}` and `{second}`); a GLN names one unit")]
    DuplicateGln {
        gln: String,
        first: String,
        second: String,
    },

    #[error("creditor `{id}` appears twice; creditor ids are unique")]
    DuplicateCreditor { id: String },

    #[error("{what} number {index} has an empty id or one holding a CPR number")]
    BadId { what: &'static str, index: usize },

    #[error(
        "creditor `{id}`: amount history is inconsistent (it needs at least one invoice and \
         0 < median ≤ 99th percentile)"
    )]
    Amounts { id: String },
}
