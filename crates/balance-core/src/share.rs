//! Share links: a dataset's counts and the analysis settings (with the bootstrap seed) in a
//! versioned, compressed URL fragment `#v1/...`. Nothing else goes in: no key, no provider.
//!
//! The payload is JSON, compressed as zlib (miniz_oxide; its checksum catches altered links) and
//! written in URL-safe base64 without padding.
//! Decoding checks the version, the encoding, the compression and every count, so a broken or
//! tampered link gives a clear error instead of a wrong analysis.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::Settings;
use crate::datasets::Dataset;

/// The fragment prefix of this version.
pub const PREFIX: &str = "v1/";
/// Longest fragment offered as a link; browsers and chat tools truncate longer URLs.
pub const MAX_LEN: usize = 32_000;
/// Largest decompressed payload accepted (guards against decompression bombs).
const MAX_PAYLOAD: usize = 8 << 20;

/// What a share link holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Payload {
    dataset: Dataset,
    settings: Settings,
}

/// Why a link could not be made or read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// The data make a fragment longer than [`MAX_LEN`] characters.
    TooLarge {
        /// The fragment's length.
        length: usize,
    },
    /// The fragment does not start with a version this build knows.
    UnknownVersion,
    /// The fragment is not valid URL-safe base64.
    BadEncoding,
    /// The bytes do not inflate (the link was cut or altered).
    BadCompression,
    /// The content is not a valid dataset with settings.
    BadContent(String),
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::TooLarge { length } => write!(
                f,
                "the data are too large for a link ({length} characters, at most {MAX_LEN}); \
                 export the dataset as a file instead"
            ),
            ShareError::UnknownVersion => {
                write!(f, "this link was not made by Balance Lab, or by a newer version")
            }
            ShareError::BadEncoding => write!(f, "the link is damaged: it is not valid base64"),
            ShareError::BadCompression => {
                write!(f, "the link is damaged: it was cut short or altered")
            }
            ShareError::BadContent(e) => write!(f, "the link's content is not valid: {e}"),
        }
    }
}

impl std::error::Error for ShareError {}

/// The fragment (without `#`) that reproduces `dataset` analysed with `settings`.
pub fn encode(dataset: &Dataset, settings: &Settings) -> Result<String, ShareError> {
    // The counts reproduce the analysis; the raw answers stay out of links.
    let mut dataset = dataset.clone();
    dataset.answers.clear();
    let payload = Payload { dataset, settings: settings.clone() };
    let json = serde_json::to_vec(&payload).expect("datasets and settings always serialise");
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&json, 9);
    let fragment = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(packed));
    if fragment.len() > MAX_LEN {
        return Err(ShareError::TooLarge { length: fragment.len() });
    }
    Ok(fragment)
}

/// Reads a fragment (with or without the leading `#`).
pub fn decode(fragment: &str) -> Result<(Dataset, Settings), ShareError> {
    let body =
        fragment.trim_start_matches('#').strip_prefix(PREFIX).ok_or(ShareError::UnknownVersion)?;
    let packed = URL_SAFE_NO_PAD.decode(body.trim()).map_err(|_| ShareError::BadEncoding)?;
    let json = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&packed, MAX_PAYLOAD)
        .map_err(|_| ShareError::BadCompression)?;
    let payload: Payload =
        serde_json::from_slice(&json).map_err(|e| ShareError::BadContent(e.to_string()))?;
    if payload.dataset.counts.is_empty() {
        return Err(ShareError::BadContent("the dataset has no states".into()));
    }
    Ok((payload.dataset, payload.settings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze;
    use crate::datasets::Bundled;
    use crate::normalization::Normalization;

    #[test]
    fn round_trip_reproduces_the_same_numbers() {
        let d = Bundled::Gemini25FlashWord.load();
        let s = Settings {
            normalization: Normalization::HighReject,
            bootstrap: 20,
            seed: 42,
            ..Settings::default()
        };
        let link = encode(&d, &s).unwrap();
        assert!(link.starts_with("v1/"));
        assert!(link.len() < 2000, "{}", link.len());
        let (d2, s2) = decode(&format!("#{link}")).unwrap();
        assert_eq!((&d2, &s2), (&d, &s));
        assert_eq!(analyze(&d2, &s2).unwrap(), analyze(&d, &s).unwrap());
    }

    #[test]
    fn raw_answers_stay_out_of_links() {
        let mut d = Bundled::Claude4Word.load();
        let answer = crate::datasets::RawAnswer {
            raw: "attitude".into(),
            became: "ATTITUDE".into(),
            count: 3879,
        };
        d.answers.insert("PERSONAL".into(), vec![answer]);
        let (back, _) = decode(&encode(&d, &Settings::default()).unwrap()).unwrap();
        assert!(back.answers.is_empty());
        assert_eq!(back.counts, d.counts);
    }

    #[test]
    fn broken_and_tampered_links_are_named() {
        let link = encode(&Bundled::Claude4Word.load(), &Settings::default()).unwrap();
        assert_eq!(decode("v9/abc"), Err(ShareError::UnknownVersion));
        assert_eq!(decode("v1/***"), Err(ShareError::BadEncoding));
        // Cut on a base64 boundary, the stream ends early; cut anywhere, the link is damaged.
        let cut = 3 + (link.len() - 3) / 2 / 4 * 4;
        assert_eq!(decode(&link[..cut]), Err(ShareError::BadCompression));
        assert!(decode(&link[..link.len() - 1]).is_err());
        // One altered character anywhere in the body is caught (by base64, zlib or its checksum).
        for i in 3..link.len() {
            let mut bytes = link.clone().into_bytes();
            bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
            let tampered = String::from_utf8(bytes).unwrap();
            assert!(decode(&tampered).is_err(), "altered at {i}");
        }
        // A valid deflate stream of the wrong content.
        let junk =
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec_zlib(b"{\"a\":1}", 9));
        assert!(matches!(decode(&format!("v1/{junk}")), Err(ShareError::BadContent(_))));
        // Counts that break the model's rules are refused, not analysed.
        let bad = r#"{"dataset":{"name":"x","description":"","counts":{"states":["A"],"edges":[[0,3,1.0]],"self_loops":[0],"rejected":[0]},"total_attempts":null},"settings":{}}"#;
        let packed =
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec_zlib(bad.as_bytes(), 9));
        assert!(matches!(decode(&format!("v1/{packed}")), Err(ShareError::BadContent(_))));
        for e in [
            ShareError::UnknownVersion,
            ShareError::BadCompression,
            ShareError::TooLarge { length: 1 },
        ] {
            assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn large_datasets_are_refused_with_their_size() {
        let sim = crate::simulate::Preset::PaperScale.run(1, None);
        match encode(&sim.dataset, &Settings::default()) {
            Err(ShareError::TooLarge { length }) => assert!(length > MAX_LEN),
            other => panic!("expected TooLarge, got {other:?}"),
        }
    }
}
