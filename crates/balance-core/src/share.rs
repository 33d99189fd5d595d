//! Share links: what an analysis needs to be made again, in a versioned, compressed URL
//! fragment `#v2/...`: where the dataset comes from (a bundled dataset or a simulator's
//! generator and seed by name, anything else as its counts), the settings (with their seeds),
//! and the named preset they came from. Nothing else goes in: no key, no provider, no raw
//! answers.
//!
//! The payload is JSON, compressed as zlib (miniz_oxide; its checksum catches altered links) and
//! written in URL-safe base64 without padding. A dataset named rather than carried is made
//! again on opening and checked against the fingerprint of the counts the link was made from,
//! so a link never silently shows other data. Decoding checks the version, the encoding, the
//! compression and every count, so a broken or tampered link gives a clear error instead of a
//! wrong analysis. Links of the first version (`#v1/`, counts and settings) still open.
//!
//! A comparison travels the same way under `#c1/`: each of its datasets named or carried, and
//! the comparison's settings.

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::compare::CompareSettings;
use crate::datasets::{Bundled, Dataset};
use crate::simulate::Preset as Generator;
use crate::{Preset, Settings};

/// The fragment prefix of this version.
pub const PREFIX: &str = "v2/";
/// The fragment prefix of the first version, still read.
const PREFIX_V1: &str = "v1/";
/// Longest fragment offered as a link; browsers and chat tools truncate longer URLs.
pub const MAX_LEN: usize = 32_000;
/// Largest decompressed payload accepted (guards against decompression bombs).
const MAX_PAYLOAD: usize = 8 << 20;

/// Where the shared dataset comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Its counts travel in the link (imported files, experiments, earlier links).
    Counts,
    /// A dataset bundled with the app, by name.
    Bundled(Bundled),
    /// A simulator's run, made again from its generator and seed (with its default length).
    Simulated {
        /// The simulator.
        generator: Generator,
        /// Its seed.
        seed: u64,
    },
}

/// What a share link reproduces: the data's source, the settings, and the named preset they
/// came from (`None` for settings edited by hand).
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Where the dataset comes from.
    pub source: Source,
    /// The analysis settings, seeds included.
    pub settings: Settings,
    /// The preset the settings are, when they are one.
    pub preset: Option<Preset>,
}

/// An opened link: what it names, and the dataset (with the true potential, for a simulator's
/// run) it reproduces.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    /// The link's content.
    pub link: Link,
    /// The dataset, carried or made again.
    pub dataset: Dataset,
    /// The true potential `beta V` of a simulated dataset's states; empty otherwise.
    pub truth: BTreeMap<String, f64>,
}

/// The dataset part of a link as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "kebab-case")]
enum Data {
    Counts { dataset: Box<Dataset> },
    Bundled { id: Bundled, fingerprint: u64 },
    Simulated { generator: Generator, seed: u64, fingerprint: u64 },
}

/// What a link of this version holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Payload {
    data: Data,
    settings: Settings,
    #[serde(default)]
    preset: Option<Preset>,
}

/// What a link of the first version holds.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct PayloadV1 {
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
    /// A named dataset comes out differently in this version than where the link was made.
    Changed,
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
            ShareError::Changed => write!(
                f,
                "the dataset it names comes out differently in this version of Balance Lab \
                 than where the link was made"
            ),
        }
    }
}

impl std::error::Error for ShareError {}

/// A fingerprint of a dataset's counts (64-bit FNV-1a of their JSON): equal counts, equal
/// fingerprints; a named dataset made again must match the one the link was made from.
fn fingerprint(dataset: &Dataset) -> u64 {
    let json = serde_json::to_vec(&dataset.counts).expect("counts always serialise");
    json.iter()
        .fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// The fragment (without `#`) that reproduces `link` on `dataset`, the dataset the page shows
/// (carried when the source is [`Source::Counts`], fingerprinted otherwise).
pub fn encode(link: &Link, dataset: &Dataset) -> Result<String, ShareError> {
    let data = data_of(link.source, dataset);
    let payload = Payload { data, settings: link.settings.clone(), preset: link.preset };
    pack(PREFIX, &payload)
}

/// How a dataset travels: its counts, or its name (and seed) with a fingerprint.
fn data_of(source: Source, dataset: &Dataset) -> Data {
    match source {
        Source::Counts => {
            // The counts reproduce the analysis; the raw answers stay out of links.
            let mut dataset = dataset.clone();
            dataset.answers.clear();
            Data::Counts { dataset: Box::new(dataset) }
        }
        Source::Bundled(id) => Data::Bundled { id, fingerprint: fingerprint(dataset) },
        Source::Simulated { generator, seed } => {
            Data::Simulated { generator, seed, fingerprint: fingerprint(dataset) }
        }
    }
}

/// `payload` as JSON, compressed, in base64 after `prefix`; refused beyond [`MAX_LEN`].
fn pack<T: Serialize>(prefix: &str, payload: &T) -> Result<String, ShareError> {
    let json = serde_json::to_vec(payload).expect("datasets and settings always serialise");
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&json, 9);
    let fragment = format!("{prefix}{}", URL_SAFE_NO_PAD.encode(packed));
    if fragment.len() > MAX_LEN {
        return Err(ShareError::TooLarge { length: fragment.len() });
    }
    Ok(fragment)
}

/// The JSON bytes of a link's body (after its prefix).
fn unpack(body: &str) -> Result<Vec<u8>, ShareError> {
    let packed = URL_SAFE_NO_PAD.decode(body.trim()).map_err(|_| ShareError::BadEncoding)?;
    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&packed, MAX_PAYLOAD)
        .map_err(|_| ShareError::BadCompression)
}

/// The dataset a link's data part names or carries, checked against its fingerprint.
fn open(data: Data) -> Result<(Source, Dataset, BTreeMap<String, f64>), ShareError> {
    let (source, dataset, truth, expected) = match data {
        Data::Counts { dataset } => (Source::Counts, *dataset, BTreeMap::new(), None),
        Data::Bundled { id, fingerprint } => {
            (Source::Bundled(id), id.load(), BTreeMap::new(), Some(fingerprint))
        }
        Data::Simulated { generator, seed, fingerprint } => {
            let run = generator.run(seed, None);
            (Source::Simulated { generator, seed }, run.dataset, run.truth, Some(fingerprint))
        }
    };
    if dataset.counts.is_empty() {
        return Err(ShareError::BadContent("the dataset has no states".into()));
    }
    if expected.is_some_and(|f| f != fingerprint(&dataset)) {
        return Err(ShareError::Changed);
    }
    Ok((source, dataset, truth))
}

/// Reads a fragment (with or without the leading `#`) and makes its dataset (again, when it is
/// named).
pub fn decode(fragment: &str) -> Result<Opened, ShareError> {
    let fragment = fragment.trim_start_matches('#');
    let (v1, body) = match (fragment.strip_prefix(PREFIX), fragment.strip_prefix(PREFIX_V1)) {
        (Some(body), _) => (false, body),
        (None, Some(body)) => (true, body),
        (None, None) => return Err(ShareError::UnknownVersion),
    };
    let json = unpack(body)?;
    let content = |e: serde_json::Error| ShareError::BadContent(e.to_string());
    let payload = if v1 {
        let old: PayloadV1 = serde_json::from_slice(&json).map_err(content)?;
        Payload {
            data: Data::Counts { dataset: Box::new(old.dataset) },
            settings: old.settings,
            preset: None,
        }
    } else {
        serde_json::from_slice(&json).map_err(content)?
    };
    let (source, dataset, truth) = open(payload.data)?;
    // A preset is kept only where the settings are still that preset's.
    let preset = payload.preset.filter(|p| p.settings(&dataset) == payload.settings);
    let link = Link { source, settings: payload.settings, preset };
    Ok(Opened { link, dataset, truth })
}

/// The fragment prefix of comparison links.
pub const COMPARE_PREFIX: &str = "c1/";

/// What a comparison link holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ComparePayload {
    arms: Vec<Data>,
    settings: CompareSettings,
}

/// An opened comparison link: its settings, and each dataset with where it comes from and its
/// true potential (for a simulator's run).
#[derive(Debug, Clone, PartialEq)]
pub struct OpenedComparison {
    /// The comparison's settings.
    pub settings: CompareSettings,
    /// The datasets, in order.
    pub arms: Vec<(Source, Dataset, BTreeMap<String, f64>)>,
}

/// The fragment (without `#`) that reproduces a comparison of `arms` (each dataset with where it
/// comes from) under `settings`.
pub fn encode_comparison(
    settings: &CompareSettings,
    arms: &[(Source, &Dataset)],
) -> Result<String, ShareError> {
    let arms = arms.iter().map(|&(source, d)| data_of(source, d)).collect();
    pack(COMPARE_PREFIX, &ComparePayload { arms, settings: *settings })
}

/// Whether a fragment is a comparison link (of any version this build reads).
pub fn is_comparison(fragment: &str) -> bool {
    fragment.trim_start_matches('#').starts_with(COMPARE_PREFIX)
}

/// Reads a comparison link's fragment (with or without the leading `#`) and makes its datasets.
pub fn decode_comparison(fragment: &str) -> Result<OpenedComparison, ShareError> {
    let body = fragment
        .trim_start_matches('#')
        .strip_prefix(COMPARE_PREFIX)
        .ok_or(ShareError::UnknownVersion)?;
    let payload: ComparePayload = serde_json::from_slice(&unpack(body)?)
        .map_err(|e| ShareError::BadContent(e.to_string()))?;
    if payload.arms.len() < 2 {
        return Err(ShareError::BadContent("a comparison needs at least two datasets".into()));
    }
    let arms = payload.arms.into_iter().map(open).collect::<Result<Vec<_>, _>>()?;
    Ok(OpenedComparison { settings: payload.settings, arms })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze;
    use crate::datasets::Bundled;
    use crate::normalization::Normalization;

    /// A link that carries the counts.
    fn counts(settings: Settings) -> Link {
        Link { source: Source::Counts, settings, preset: None }
    }

    /// `json` packed as a link body after `prefix`.
    fn pack(prefix: &str, json: &str) -> String {
        let packed = miniz_oxide::deflate::compress_to_vec_zlib(json.as_bytes(), 9);
        format!("{prefix}{}", URL_SAFE_NO_PAD.encode(packed))
    }

    #[test]
    fn a_named_dataset_travels_by_name_and_comes_back_with_its_preset_and_truth() {
        let d = Bundled::Gemini25FlashWord.load();
        let settings = Preset::PaperCode.settings(&d);
        let link = Link {
            source: Source::Bundled(Bundled::Gemini25FlashWord),
            settings: settings.clone(),
            preset: Some(Preset::PaperCode),
        };
        let fragment = encode(&link, &d).unwrap();
        assert!(fragment.len() < 600, "{} characters", fragment.len());
        let opened = decode(&fragment).unwrap();
        assert_eq!((&opened.link, &opened.dataset), (&link, &d));

        // The paper-scale simulation, far too large to carry, is named by generator and seed.
        let generator = crate::simulate::Preset::PaperScale;
        let sim = generator.run(7, None);
        let settings = Preset::BalanceLab.settings(&sim.dataset);
        let link = Link {
            source: Source::Simulated { generator, seed: 7 },
            settings,
            preset: Some(Preset::BalanceLab),
        };
        let fragment = encode(&link, &sim.dataset).unwrap();
        assert!(fragment.len() < 600, "{} characters", fragment.len());
        let opened = decode(&fragment).unwrap();
        assert_eq!(opened.link, link);
        assert_eq!((opened.dataset, opened.truth), (sim.dataset, sim.truth));

        // Settings edited after choosing a preset are no longer that preset.
        let mut edited = link.clone();
        edited.settings.beta = 2.0;
        let opened = decode(&encode(&edited, &d).unwrap());
        assert_eq!(opened, Err(ShareError::Changed), "the fingerprint is of the data shown");
        let opened = decode(&encode(&edited, &sim_dataset(generator, 7)).unwrap()).unwrap();
        assert_eq!(opened.link.preset, None);
        assert_eq!(opened.link.settings.beta, 2.0);
    }

    /// A simulator's dataset.
    fn sim_dataset(generator: crate::simulate::Preset, seed: u64) -> Dataset {
        generator.run(seed, None).dataset
    }

    #[test]
    fn links_of_the_first_version_still_open() {
        let d = Bundled::Claude4Word.load();
        let json = serde_json::json!({ "dataset": d, "settings": Settings::default() });
        let opened = decode(&pack("v1/", &json.to_string())).unwrap();
        assert_eq!(opened.dataset, d);
        assert_eq!(opened.link, counts(Settings::default()));
    }

    #[test]
    fn round_trip_reproduces_the_same_numbers() {
        let d = Bundled::Gemini25FlashWord.load();
        let s = Settings {
            normalization: Normalization::HighReject,
            bootstrap: 40,
            seed: 42,
            ..Settings::default()
        };
        let link = encode(&counts(s.clone()), &d).unwrap();
        assert!(link.starts_with("v2/"));
        assert!(link.len() < 2000, "{}", link.len());
        let opened = decode(&format!("#{link}")).unwrap();
        assert_eq!((&opened.dataset, &opened.link.settings), (&d, &s));
        assert_eq!(opened.link.source, Source::Counts);
        assert_eq!(analyze(&opened.dataset, &s).unwrap(), analyze(&d, &s).unwrap());
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
        let back = decode(&encode(&counts(Settings::default()), &d).unwrap()).unwrap().dataset;
        assert!(back.answers.is_empty());
        assert_eq!(back.counts, d.counts);
    }

    #[test]
    fn broken_and_tampered_links_are_named() {
        let link = encode(&counts(Settings::default()), &Bundled::Claude4Word.load()).unwrap();
        assert_eq!(decode("v9/abc"), Err(ShareError::UnknownVersion));
        assert_eq!(decode("v2/***"), Err(ShareError::BadEncoding));
        // Cut on a base64 boundary, the stream ends early; cut anywhere, the link is damaged.
        let cut = 3 + (link.len() - 3) / 2 / 4 * 4;
        assert_eq!(decode(&link[..cut]), Err(ShareError::BadCompression));
        assert!(decode(&link[..link.len() - 1]).is_err());
        // One altered character anywhere in the body is caught (by base64, zlib or its
        // checksum), or changes nothing that is read (a code length of a symbol deflate never
        // uses): it never opens other data.
        let original = decode(&link).unwrap();
        let mut unchanged = 0;
        for i in 3..link.len() {
            let mut bytes = link.clone().into_bytes();
            bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
            let tampered = String::from_utf8(bytes).unwrap();
            if let Ok(opened) = decode(&tampered) {
                assert_eq!(opened, original, "altered at {i}");
                unchanged += 1;
            }
        }
        assert!(unchanged <= 2, "{unchanged} alterations went unnoticed");
        // A valid deflate stream of the wrong content.
        let junk =
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec_zlib(b"{\"a\":1}", 9));
        assert!(matches!(decode(&format!("v2/{junk}")), Err(ShareError::BadContent(_))));
        // Counts that break the model's rules are refused, not analysed.
        let bad = r#"{"data":{"from":"counts","dataset":{"name":"x","description":"","counts":{"states":["A"],"edges":[[0,3,1.0]],"self_loops":[0],"rejected":[0]},"total_attempts":null}},"settings":{}}"#;
        assert!(matches!(decode(&pack("v2/", bad)), Err(ShareError::BadContent(_))));
        // A named dataset that comes out otherwise than where the link was made.
        let other =
            r#"{"data":{"from":"bundled","id":"Claude4Word","fingerprint":1},"settings":{}}"#;
        assert_eq!(decode(&pack("v2/", other)), Err(ShareError::Changed));
        for e in [
            ShareError::UnknownVersion,
            ShareError::BadCompression,
            ShareError::TooLarge { length: 1 },
            ShareError::Changed,
        ] {
            assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn large_datasets_are_refused_with_their_size() {
        let sim = crate::simulate::Preset::PaperScale.run(1, None);
        match encode(&counts(Settings::default()), &sim.dataset) {
            Err(ShareError::TooLarge { length }) => assert!(length > MAX_LEN),
            other => panic!("expected TooLarge, got {other:?}"),
        }
    }

    #[test]
    fn a_comparison_travels_by_name_and_counts_and_reproduces_the_same_numbers() {
        use crate::compare::{CompareSettings, compare};
        let claude = Bundled::Claude4Word.load();
        let sim = crate::simulate::Preset::WordTask.run(1, None);
        let mut cold = crate::simulate::WordTask { temperature: 0.5, ..Default::default() }
            .run(2, 5_000)
            .dataset;
        cold.name = "Cold run".into();
        let settings = CompareSettings { bootstrap: 40, seed: 9, ..CompareSettings::default() };
        let fragment = encode_comparison(
            &settings,
            &[
                (Source::Bundled(Bundled::Claude4Word), &claude),
                (Source::Simulated { generator: sim_generator(), seed: 1 }, &sim.dataset),
                (Source::Counts, &cold),
            ],
        )
        .unwrap();
        assert!(fragment.starts_with(COMPARE_PREFIX) && is_comparison(&format!("#{fragment}")));
        let opened = decode_comparison(&fragment).unwrap();
        assert_eq!(opened.settings, settings);
        let datasets: Vec<Dataset> = opened.arms.iter().map(|a| a.1.clone()).collect();
        assert_eq!(datasets[2].name, "Cold run");
        assert_eq!(opened.arms[1].0, Source::Simulated { generator: sim_generator(), seed: 1 });
        assert!(!opened.arms[1].2.is_empty(), "a simulation comes back with its truth");
        let before = compare(&[claude, sim.dataset, cold], &settings).unwrap();
        assert_eq!(compare(&datasets, &opened.settings).unwrap(), before);

        // Broken links say why.
        let cut = &fragment[..fragment.len() - 9];
        assert!(matches!(
            decode_comparison(cut),
            Err(ShareError::BadCompression | ShareError::BadEncoding)
        ));
        assert_eq!(decode_comparison("v2/abc"), Err(ShareError::UnknownVersion));
        let one = super::pack(COMPARE_PREFIX, &ComparePayload { arms: vec![], settings }).unwrap();
        assert!(
            matches!(decode_comparison(&one), Err(ShareError::BadContent(e)) if e.contains("two"))
        );
    }

    fn sim_generator() -> crate::simulate::Preset {
        crate::simulate::Preset::WordTask
    }
}
