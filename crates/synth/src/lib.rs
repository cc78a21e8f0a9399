//! Generator of a synthetic Danish municipality's invoice history (see `data/README.md`).
