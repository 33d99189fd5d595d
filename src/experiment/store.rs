//! Experiments in IndexedDB: each experiment's record (its spec and status, never a key) and
//! every attempt under `[experiment id, attempt index]`, written as attempts complete.

use balance_agent::Spec;
use balance_core::experiment::Attempt;
use std::rc::Rc;

use idb::{Database, DatabaseEvent, Factory, KeyRange, ObjectStoreParams, Query, TransactionMode};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

const DATABASE: &str = "balance-lab";
const RECORDS: &str = "experiments";
const ATTEMPTS: &str = "attempts";

/// Where a run stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Running (in a page that is open, or in one that was closed or crashed mid-run).
    Running,
    /// Paused by the person.
    Paused,
    /// Every attempt recorded.
    Finished,
    /// Cancelled by the person.
    Cancelled,
    /// Stopped by a failure or the budget (the message says which).
    Stopped(String),
    /// Paused because most recent answers were cut off by the token limit (the message says
    /// which setting to raise).
    CutOff(String),
}

impl Status {
    /// Whether the run can go on.
    pub fn resumable(&self) -> bool {
        matches!(self, Status::Running | Status::Paused | Status::Stopped(_) | Status::CutOff(_))
    }
}

/// An experiment as saved: never holds a key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Its id.
    pub id: String,
    /// What it does (its name is `spec.name`).
    pub spec: Spec,
    /// When it was made (ms since 1970).
    pub created: f64,
    /// Where it stands.
    pub status: Status,
    /// Failures retried so far, by kind.
    #[serde(default)]
    pub retried: std::collections::BTreeMap<String, usize>,
    /// Imported from a file without its run's settings: data only, never resumed.
    #[serde(default)]
    pub data_only: bool,
}

impl Record {
    /// The hidden potential the run should recover, when the simulated LLM answered it (at the
    /// run's temperature).
    pub fn truth(&self) -> Option<std::collections::BTreeMap<String, f64>> {
        if self.data_only || self.spec.provider.kind != balance_agent::ProviderKind::Simulated {
            return None;
        }
        let simulator = balance_agent::simulated::Simulator::for_task(&self.spec.task).ok()?;
        Some(simulator.truth(self.spec.provider.temperature.max(0.05)))
    }
}

/// The experiments database.
#[derive(Clone)]
pub struct Store {
    db: Rc<Database>,
}

fn fail(what: &str) -> impl Fn(idb::Error) -> String + '_ {
    move |e| format!("the browser's database refused to {what}: {e}")
}

/// `[id, index]`, the key of an attempt.
fn attempt_key(id: &str, index: f64) -> JsValue {
    js_sys::Array::of2(&JsValue::from_str(id), &JsValue::from_f64(index)).into()
}

/// Every attempt key of experiment `id`.
fn attempts_of(id: &str) -> Result<Query, String> {
    KeyRange::bound(&attempt_key(id, 0.0), &attempt_key(id, f64::MAX), None, None)
        .map(Query::from)
        .map_err(fail("select attempts"))
}

impl Store {
    /// Opens (or creates) the database.
    pub async fn open() -> Result<Store, String> {
        let factory = Factory::new().map_err(fail("open (IndexedDB is unavailable)"))?;
        let mut request = factory.open(DATABASE, Some(1)).map_err(fail("open"))?;
        request.on_upgrade_needed(|event| {
            if let Ok(db) = event.database() {
                for name in [RECORDS, ATTEMPTS] {
                    if !db.store_names().iter().any(|n| n == name) {
                        let _ = db.create_object_store(name, ObjectStoreParams::new());
                    }
                }
            }
        });
        let db = request.await.map_err(fail("open"))?;
        Ok(Store { db: Rc::new(db) })
    }

    /// Saves (or replaces) a record.
    pub async fn save(&self, record: &Record) -> Result<(), String> {
        let json = serde_json::to_string(record).map_err(|e| e.to_string())?;
        let tx = self
            .db
            .transaction(&[RECORDS], TransactionMode::ReadWrite)
            .map_err(fail("save the experiment"))?;
        let store = tx.object_store(RECORDS).map_err(fail("save the experiment"))?;
        store
            .put(&JsValue::from_str(&json), Some(&JsValue::from_str(&record.id)))
            .map_err(fail("save the experiment"))?
            .await
            .map_err(fail("save the experiment"))?;
        tx.commit()
            .map_err(fail("save the experiment"))?
            .await
            .map_err(fail("save the experiment"))?;
        Ok(())
    }

    /// Every record, newest first, with its number of saved attempts; records that cannot be
    /// read are skipped and counted.
    pub async fn records(&self) -> Result<(Vec<(Record, usize)>, usize), String> {
        let tx = self
            .db
            .transaction(&[RECORDS, ATTEMPTS], TransactionMode::ReadOnly)
            .map_err(fail("list experiments"))?;
        let records = tx.object_store(RECORDS).map_err(fail("list experiments"))?;
        let attempts = tx.object_store(ATTEMPTS).map_err(fail("list experiments"))?;
        let values = records
            .get_all(None, None)
            .map_err(fail("list experiments"))?
            .await
            .map_err(fail("list experiments"))?;
        let mut out = Vec::new();
        let mut unreadable = 0;
        for value in values {
            match value.as_string().and_then(|s| serde_json::from_str::<Record>(&s).ok()) {
                Some(record) => {
                    let n = attempts
                        .count(Some(attempts_of(&record.id)?))
                        .map_err(fail("count attempts"))?
                        .await
                        .map_err(fail("count attempts"))?;
                    out.push((record, n as usize));
                }
                None => unreadable += 1,
            }
        }
        out.sort_by(|a, b| b.0.created.total_cmp(&a.0.created));
        Ok((out, unreadable))
    }

    /// Adds attempts of experiment `id` (each under its index) in one transaction.
    pub async fn add_attempts(&self, id: &str, attempts: &[Attempt]) -> Result<(), String> {
        let tx = self
            .db
            .transaction(&[ATTEMPTS], TransactionMode::ReadWrite)
            .map_err(fail("save attempts"))?;
        let store = tx.object_store(ATTEMPTS).map_err(fail("save attempts"))?;
        for a in attempts {
            let index = a.index.ok_or("an attempt without an index cannot be saved")?;
            let json = serde_json::to_string(a).map_err(|e| e.to_string())?;
            // Not awaited one by one: the transaction's completion covers them all.
            store
                .put(&JsValue::from_str(&json), Some(&attempt_key(id, index as f64)))
                .map_err(fail("save attempts"))?;
        }
        tx.commit().map_err(fail("save attempts"))?.await.map_err(fail("save attempts"))?;
        Ok(())
    }

    /// Every saved attempt of experiment `id`, by index.
    pub async fn attempts(&self, id: &str) -> Result<Vec<Attempt>, String> {
        let tx = self
            .db
            .transaction(&[ATTEMPTS], TransactionMode::ReadOnly)
            .map_err(fail("read attempts"))?;
        let store = tx.object_store(ATTEMPTS).map_err(fail("read attempts"))?;
        let values = store
            .get_all(Some(attempts_of(id)?), None)
            .map_err(fail("read attempts"))?
            .await
            .map_err(fail("read attempts"))?;
        values
            .into_iter()
            .map(|v| {
                v.as_string()
                    .and_then(|s| serde_json::from_str::<Attempt>(&s).ok())
                    .ok_or_else(|| "a saved attempt cannot be read".to_owned())
            })
            .collect()
    }

    /// Deletes experiment `id` and its attempts.
    pub async fn delete(&self, id: &str) -> Result<(), String> {
        let tx = self
            .db
            .transaction(&[RECORDS, ATTEMPTS], TransactionMode::ReadWrite)
            .map_err(fail("delete"))?;
        let records = tx.object_store(RECORDS).map_err(fail("delete"))?;
        let attempts = tx.object_store(ATTEMPTS).map_err(fail("delete"))?;
        records.delete(JsValue::from_str(id)).map_err(fail("delete"))?;
        attempts.delete(attempts_of(id)?).map_err(fail("delete"))?;
        tx.commit().map_err(fail("delete"))?.await.map_err(fail("delete"))?;
        Ok(())
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use balance_core::experiment::Outcome;
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    fn attempt(index: u64, state: &str) -> Attempt {
        Attempt {
            index: Some(index),
            source: "BUZZY".into(),
            outcome: Outcome::Transition,
            state: Some(state.into()),
            reason: None,
            raw: Some(format!("<i>{state}</i>")),
            usage: None,
            finish: Some("stop".into()),
            logprob: Some(-0.5),
            elapsed_ms: Some(3.0),
            served_by: None,
        }
    }

    #[wasm_bindgen_test]
    async fn attempts_are_kept_once_per_index_and_deleted_with_their_experiment() {
        let store = Store::open().await.unwrap();
        let id = format!("test-{}", js_sys::Math::random());
        let mut record = Record {
            id: id.clone(),
            spec: Spec::simulated_word_task(),
            created: 1.0,
            status: Status::Running,
            retried: Default::default(),
            data_only: false,
        };
        store.save(&record).await.unwrap();
        // Two batches, the second repeating index 1: it replaces, never duplicates.
        store.add_attempts(&id, &[attempt(2, "ATTITUDE"), attempt(0, "TURKEY")]).await.unwrap();
        store.add_attempts(&id, &[attempt(1, "PERSONAL"), attempt(1, "PERSONAL")]).await.unwrap();
        let back = store.attempts(&id).await.unwrap();
        let indices: Vec<u64> = back.iter().map(|a| a.index.unwrap()).collect();
        assert_eq!(indices, [0, 1, 2]);
        assert_eq!(back[0], attempt(0, "TURKEY"));
        record.status = Status::Paused;
        store.save(&record).await.unwrap();
        let (list, unreadable) = store.records().await.unwrap();
        assert_eq!(unreadable, 0);
        let (saved, count) = list.into_iter().find(|(r, _)| r.id == id).unwrap();
        assert_eq!((saved, count), (record, 3));
        // An attempt without an index is refused, with the reason.
        let mut loose = attempt(9, "X");
        loose.index = None;
        assert!(store.add_attempts(&id, &[loose]).await.unwrap_err().contains("index"));
        store.delete(&id).await.unwrap();
        assert!(store.attempts(&id).await.unwrap().is_empty());
        assert!(!store.records().await.unwrap().0.iter().any(|(r, _)| r.id == id));
    }
}
