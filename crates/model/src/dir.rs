//! A model directory: `model.bin` (authoritative, read by [`load`]) and `card.json` (the card and
//! policy as pretty JSON for people and reviews, never read back). Files are written to a
//! temporary name in the same directory and renamed, so a crash never leaves half a model.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::artifact::Artifact;
use crate::dto::{CardDto, PolicyDto};
use crate::envelope::{checksum_hex, decode, encode, version_of};
use crate::error::ModelError;

/// The model file in a model directory.
pub const MODEL_FILE: &str = "model.bin";
/// The human-readable card in a model directory.
pub const CARD_FILE: &str = "card.json";

/// `card.json`: which file it describes, then the card and the policy. Keys in a fixed order.
#[derive(Serialize)]
struct CardJson<'a> {
    format_version: u32,
    /// SHA-256 of the `model.bin` written with it, so a stale card is noticed.
    model_sha256: String,
    card: &'a CardDto,
    policy: &'a PolicyDto,
}

/// Writes `dir/model.bin` and `dir/card.json`, creating `dir`. Refuses an artifact that
/// [`load`] would reject, so a saved model always loads.
pub fn save(dir: &Path, artifact: &Artifact) -> Result<(), ModelError> {
    let model_path = dir.join(MODEL_FILE);
    let bytes = encode(artifact);
    decode(&bytes).map_err(|e| ModelError::File {
        path: model_path.clone(),
        source: Box::new(e),
    })?;
    fs::create_dir_all(dir).map_err(|source| ModelError::Io {
        action: "create the model directory",
        path: dir.to_path_buf(),
        source,
    })?;
    let card = CardDto::from_card(&artifact.card);
    let policy = PolicyDto::from_policy(&artifact.policy);
    let mut json = serde_json::to_string_pretty(&CardJson {
        format_version: version_of(artifact),
        model_sha256: checksum_hex(&bytes),
        card: &card,
        policy: &policy,
    })
    .expect("the card has text keys only");
    json.push('\n');
    write_atomically(&model_path, &bytes)?;
    write_atomically(&dir.join(CARD_FILE), json.as_bytes())
}

/// Reads and validates `dir/model.bin`; errors name the file.
pub fn load(dir: &Path) -> Result<Artifact, ModelError> {
    let path = dir.join(MODEL_FILE);
    let bytes = fs::read(&path).map_err(|source| ModelError::Io {
        action: "read the model",
        path: path.clone(),
        source,
    })?;
    decode(&bytes).map_err(|e| ModelError::File {
        path,
        source: Box::new(e),
    })
}

/// Writes `path` through a temporary file beside it, synced, then renamed over `path`.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ModelError> {
    let name = path
        .file_name()
        .map_or_else(Default::default, |n| n.to_string_lossy());
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let io = |action: &'static str, path: &Path| {
        let path: PathBuf = path.to_path_buf();
        move |source| ModelError::Io {
            action,
            path,
            source,
        }
    };
    let written = fs::File::create(&tmp)
        .and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        })
        .map_err(io("write", &tmp))
        .and_then(|()| fs::rename(&tmp, path).map_err(io("rename into place", path)));
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
        return written;
    }
    // Make the rename itself durable where directories can be synced (not on Windows).
    if let Some(parent) = path.parent()
        && let Ok(d) = fs::File::open(parent)
    {
        let _ = d.sync_all();
    }
    Ok(())
}
