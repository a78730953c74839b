//! Encryption at rest of confidential texts (note items, the employee's topics and
//! reflections, withheld topics): AES-256-GCM with a key from the configuration, never
//! from the database, so the database alone reveals no note text.
//!
//! A sealed text is `k1.<key id>.<base64 of nonce ‖ ciphertext>`; the key id (the first
//! four bytes of the key's SHA-256, in hex) says which key opens it, so keys can be
//! rotated: put the new key first, keep the old one among the previous keys, and run
//! `kyoritsu notes rekey` to seal everything again under the new key.
//! The associated data binds a text to its tenant and dialogue: a sealed text copied to
//! another row does not open.

use crate::{Result, StoreError};
use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use sha2::{Digest, Sha256};

const PREFIX: &str = "k1";

struct NoteKey {
    id: String,
    cipher: Aes256Gcm,
}

/// The keys that seal and open note texts: the current one, and previous ones that may
/// still open texts sealed before a rotation.
#[derive(Default)]
pub struct NoteKeys {
    current: Option<NoteKey>,
    previous: Vec<NoteKey>,
}

impl std::fmt::Debug for NoteKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Key ids only: never the keys.
        f.debug_struct("NoteKeys")
            .field("current", &self.current.as_ref().map(|k| &k.id))
            .field(
                "previous",
                &self.previous.iter().map(|k| &k.id).collect::<Vec<_>>(),
            )
            .finish()
    }
}

fn parse_key(b64: &str) -> Result<NoteKey, String> {
    let bytes = B64
        .decode(b64.trim())
        .map_err(|_| "a note key must be 32 bytes in base64 (kyoritsu notes new-key prints one)")?;
    if bytes.len() != 32 {
        return Err(format!(
            "a note key must be 32 bytes in base64; this one is {} bytes (kyoritsu notes new-key prints one)",
            bytes.len()
        ));
    }
    let digest = Sha256::digest(&bytes);
    let id = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    Ok(NoteKey {
        id,
        cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&bytes)),
    })
}

impl NoteKeys {
    /// The current key and any previous ones, each 32 bytes in base64.
    pub fn parse(current: &str, previous: &[String]) -> Result<NoteKeys, String> {
        Ok(NoteKeys {
            current: Some(parse_key(current)?),
            previous: previous
                .iter()
                .map(|k| parse_key(k))
                .collect::<Result<_, _>>()?,
        })
    }

    /// A new random key, in base64.
    pub fn generate() -> String {
        B64.encode(Aes256Gcm::generate_key(OsRng))
    }

    /// The id of the current key, if there is one.
    pub fn current_id(&self) -> Option<&str> {
        self.current.as_ref().map(|k| k.id.as_str())
    }

    pub(crate) fn seal(&self, aad: &str, plain: &str) -> Result<String> {
        let key = self.current.as_ref().ok_or(StoreError::NoNoteKey)?;
        let nonce = Aes256Gcm::generate_nonce(OsRng);
        let sealed = key
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plain.as_bytes(),
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| StoreError::Integrity("a text could not be encrypted".into()))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}.{}.{}", key.id, B64.encode(out)))
    }

    pub(crate) fn open(&self, aad: &str, sealed: &str) -> Result<String> {
        let bad = |why: &str| StoreError::Integrity(format!("a sealed text {why}"));
        let mut parts = sealed.splitn(3, '.');
        let (Some(PREFIX), Some(id), Some(body)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad("is not in the expected form"));
        };
        let key = self
            .current
            .iter()
            .chain(self.previous.iter())
            .find(|k| k.id == id)
            .ok_or_else(|| {
                StoreError::Integrity(format!(
                    "a text is sealed with key {id}, which is not configured (note_key / note_previous_keys)"
                ))
            })?;
        let bytes = B64.decode(body).map_err(|_| bad("is not base64"))?;
        if bytes.len() < 12 {
            return Err(bad("is too short"));
        }
        let (nonce, ct) = bytes.split_at(12);
        let plain = key
            .cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| bad("does not open with its key (altered, or moved from another row)"))?;
        String::from_utf8(plain).map_err(|_| bad("is not text"))
    }

    /// For a text in the sealed form, the id of the key it is sealed with and whether
    /// these keys include it; `None` for any other text.
    pub(crate) fn sealed_with<'a>(&self, text: &'a str) -> Option<(&'a str, bool)> {
        let rest = text.strip_prefix(PREFIX)?.strip_prefix('.')?;
        let (id, body) = rest.split_once('.')?;
        if id.len() != 8 || !id.bytes().all(|b| b.is_ascii_hexdigit()) || body.is_empty() {
            return None;
        }
        let known = self
            .current
            .iter()
            .chain(self.previous.iter())
            .any(|k| k.id == id);
        Some((id, known))
    }

    /// Is this sealed text under the current key already?
    pub(crate) fn is_current(&self, sealed: &str) -> bool {
        match &self.current {
            Some(k) => sealed
                .strip_prefix(PREFIX)
                .and_then(|s| s.strip_prefix('.'))
                .is_some_and(|s| s.starts_with(&k.id) && s[k.id.len()..].starts_with('.')),
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> NoteKeys {
        NoteKeys::parse(&NoteKeys::generate(), &[]).expect("key")
    }

    #[test]
    fn a_sealed_text_opens_only_with_its_key_and_its_row() {
        let k = keys();
        let sealed = k.seal("1:2", "異動の希望を話した <b>").expect("seal");
        assert!(!sealed.contains("異動"));
        assert_eq!(
            k.open("1:2", &sealed).expect("open"),
            "異動の希望を話した <b>"
        );
        assert!(k.open("1:3", &sealed).is_err(), "another row's data");
        assert!(keys().open("1:2", &sealed).is_err(), "another key");
        assert!(k.is_current(&sealed));
        // The same text sealed twice differs (a fresh nonce each time).
        assert_ne!(
            sealed,
            k.seal("1:2", "異動の希望を話した <b>").expect("seal")
        );
    }

    #[test]
    fn after_rotation_old_texts_open_with_the_previous_key() {
        let old = NoteKeys::generate();
        let before = NoteKeys::parse(&old, &[]).expect("key");
        let sealed = before.seal("t:d", "覚えておくこと").expect("seal");
        let after = NoteKeys::parse(&NoteKeys::generate(), &[old]).expect("keys");
        assert!(!after.is_current(&sealed));
        assert_eq!(after.open("t:d", &sealed).expect("open"), "覚えておくこと");
        let resealed = after.seal("t:d", "覚えておくこと").expect("seal");
        assert!(after.is_current(&resealed));
    }

    #[test]
    fn bad_keys_and_missing_keys_are_refused_in_plain_words() {
        assert!(NoteKeys::parse("short", &[]).is_err());
        assert!(NoteKeys::parse(&B64.encode([0u8; 16]), &[]).is_err());
        assert!(matches!(
            NoteKeys::default().seal("a", "b"),
            Err(StoreError::NoNoteKey)
        ));
        assert!(format!("{:?}", keys()).contains("current"));
    }
}
