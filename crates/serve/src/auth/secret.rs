//! Credentials: random tokens and session ids (stored as SHA-256 digests), and passwords (stored
//! as argon2id hashes, verified in constant time by argon2).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use sha2::{Digest, Sha256};

/// Prefix of API tokens, so a leaked one is recognisable (secret scanners, logs).
pub const TOKEN_PREFIX: &str = "kt_";

/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 12;

/// Why a credential could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error(
        "the system's random source failed ({0}); retry, or check the machine's entropy source"
    )]
    Random(String),
    #[error("the password is shorter than {MIN_PASSWORD} characters; choose a longer one")]
    TooShort,
    #[error("the password could not be hashed ({0})")]
    Hash(String),
}

fn random_hex(bytes: usize) -> Result<String, SecretError> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| SecretError::Random(e.to_string()))?;
    Ok(hex(&buf))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// A new API token for a user of `organisation` (`None`: the deployment's first): 256 random
/// bits, hex, after [`TOKEN_PREFIX`] and, for a further organisation, its name and a dot
/// (`kt_odense.…`), so a deployment of several organisations knows whose users to ask.
pub fn new_token(organisation: Option<&str>) -> Result<String, SecretError> {
    Ok(format!("{TOKEN_PREFIX}{}", new_session(organisation)?))
}

/// A new session id for a user of `organisation`: 256 random bits, hex, after the name of a
/// further organisation and a dot.
pub fn new_session(organisation: Option<&str>) -> Result<String, SecretError> {
    let random = random_hex(32)?;
    Ok(match organisation {
        Some(name) => format!("{name}.{random}"),
        None => random,
    })
}

/// The further organisation an API token was made for (see [`new_token`]); `None` for the
/// deployment's first. Only a hint of where to look: the organisation's own store still has to
/// know the token's digest.
pub fn organisation_of_token(token: &str) -> Option<&str> {
    organisation_of_session(token.strip_prefix(TOKEN_PREFIX)?)
}

/// The further organisation a session id was made for (see [`new_session`]), like
/// [`organisation_of_token`].
pub fn organisation_of_session(session: &str) -> Option<&str> {
    session.split_once('.').map(|(name, _)| name)
}

/// A new password for a user who has none yet: 20 characters from an unambiguous alphabet
/// (about 113 bits).
pub fn new_password() -> Result<String, SecretError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut buf = [0u8; 20];
    getrandom::fill(&mut buf).map_err(|e| SecretError::Random(e.to_string()))?;
    // 256 % 54 != 0 gives a small bias; irrelevant at this length.
    Ok(buf
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect())
}

/// The SHA-256 digest (hex) under which a token or session id is stored. These secrets carry
/// 256 random bits, so a fast digest is enough; passwords use [`hash_password`].
pub fn digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// An argon2id hash (PHC string) of `password`, with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, SecretError> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(SecretError::TooShort);
    }
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| SecretError::Random(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| SecretError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| SecretError::Hash(e.to_string()))
}

/// Whether `password` matches `hash`. With no hash (unknown user), a fixed hash is checked
/// anyway so that the answer takes as long as for a known user.
pub fn verify_password(password: &str, hash: Option<&str>) -> bool {
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$\
                         3Fj4aI2pY8TtYwqvZC0nFeNwG6q2m+GvhTQm6Xb3Y9E";
    let (hash, known) = match hash {
        Some(h) => (h, true),
        None => (DUMMY, false),
    };
    let ok = PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false);
    ok && known
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_prefixed_and_stored_by_digest() {
        let a = new_token(None).unwrap();
        let b = new_token(None).unwrap();
        assert!(a.starts_with("kt_") && a.len() == 3 + 64);
        assert_eq!(organisation_of_token(&a), None);
        assert_ne!(a, b);
        assert_eq!(digest(&a), digest(&a));
        assert_ne!(digest(&a), digest(&b));
        assert!(!digest(&a).contains(&a[3..]));
        assert_eq!(
            digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_further_organisations_credentials_name_it() {
        let token = new_token(Some("odense")).unwrap();
        assert!(token.starts_with("kt_odense.") && token.len() == 3 + 7 + 64);
        assert_eq!(organisation_of_token(&token), Some("odense"));
        let session = new_session(Some("aarhus")).unwrap();
        assert!(session.starts_with("aarhus.") && session.len() == 7 + 64);
        assert_eq!(organisation_of_session(&session), Some("aarhus"));
        assert_eq!(organisation_of_session(&new_session(None).unwrap()), None);
        assert_eq!(organisation_of_token("kt_"), None);
        // A name that itself starts like a token keeps it, in a session id and a token alike.
        let session = new_session(Some("kt_odense")).unwrap();
        assert_eq!(organisation_of_session(&session), Some("kt_odense"));
        let token = new_token(Some("kt_odense")).unwrap();
        assert_eq!(organisation_of_token(&token), Some("kt_odense"));
    }

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(!hash.contains("correct horse"));
        assert!(verify_password("correct horse battery", Some(&hash)));
        assert!(!verify_password("correct horse batterY", Some(&hash)));
        assert!(!verify_password("correct horse battery", None));
        assert!(!verify_password("x", Some("not a phc string")));
        assert!(matches!(hash_password("short"), Err(SecretError::TooShort)));
        let generated = new_password().unwrap();
        assert_eq!(generated.len(), 20);
        assert!(hash_password(&generated).is_ok());
    }
}
