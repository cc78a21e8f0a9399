//! Group commit: one writer task stores every queued decision in one transaction, so concurrent
//! requests share one fsync; each caller awaits its own durable result.

use tokio::sync::{mpsc, oneshot};

use crate::engine::Engine;
use crate::error::db;
use crate::record::{Inserted, insert_all};
use crate::response::Stored;
use crate::{Decision, Recorded, Store, StoreError};

/// Most decisions committed in one transaction.
pub const MAX_GROUP: usize = 256;
/// Decisions that may wait for the writer before `record_one` itself waits to queue.
const QUEUE: usize = 4 * MAX_GROUP;

/// A handle to a group-commit writer task; clone it freely. The task stops when the last handle
/// is dropped, after storing what was queued.
#[derive(Clone, Debug)]
pub struct Committer {
    jobs: mpsc::Sender<Job>,
    engine: Engine,
}

/// One queued decision, its response as it is stored (compressed by the caller, so the one
/// writer task never does it), and where its result goes.
struct Job {
    decision: Decision,
    response: Stored,
    reply: oneshot::Sender<Result<Recorded, StoreError>>,
}

impl Store {
    /// Starts a group-commit writer task on the current tokio runtime and returns its handle.
    /// Call once at startup and clone the handle (several tasks would only take turns on the
    /// one writer connection). Panics outside a tokio runtime.
    pub fn committer(&self) -> Committer {
        let (jobs, queue) = mpsc::channel(QUEUE);
        tokio::spawn(run(self.clone(), queue));
        Committer {
            jobs,
            engine: self.engine(),
        }
    }
}

impl Committer {
    /// Stores one decision like [`Store::record`] with a batch of one, and returns when it is
    /// durable. The writer commits whatever is queued (up to [`MAX_GROUP`]) together; if that
    /// transaction fails, it stores each queued decision in its own transaction, so one bad
    /// decision (e.g. [`StoreError::DecisionIdTaken`]) fails only its own caller.
    ///
    /// If the caller stops waiting (its request is cancelled), a queued decision is stored all
    /// the same.
    pub async fn record_one(&self, decision: Decision) -> Result<Recorded, StoreError> {
        decision.validate()?;
        let response = crate::response::stored(self.engine, &decision.response);
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job {
                decision,
                response,
                reply,
            })
            .await
            .map_err(|_| StoreError::CommitterStopped)?;
        answer.await.map_err(|_| StoreError::CommitterStopped)?
    }
}

/// The writer task: takes whatever is queued, commits it, answers, repeats.
async fn run(store: Store, mut queue: mpsc::Receiver<Job>) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while queue.recv_many(&mut group, MAX_GROUP).await > 0 {
        match commit(&store, &group).await {
            Ok(inserted) => {
                for (job, inserted) in group.drain(..).zip(inserted) {
                    answer(job, Ok(inserted));
                }
            }
            Err(error) if group.len() == 1 => answer(group.remove(0), Err(error)),
            Err(_) => {
                for job in group.drain(..) {
                    let result = commit(&store, std::slice::from_ref(&job)).await;
                    answer(job, result.map(|mut one| one.remove(0)));
                }
            }
        }
    }
}

/// Stores the jobs' decisions in one transaction.
async fn commit(store: &Store, jobs: &[Job]) -> Result<Vec<Inserted>, StoreError> {
    let ready: Vec<(&Decision, &Stored)> =
        jobs.iter().map(|j| (&j.decision, &j.response)).collect();
    let mut tx = store.begin_write().await?;
    let inserted = insert_all(&mut tx, store.engine(), &ready).await?;
    tx.commit().await.map_err(db("committing decisions"))?;
    Ok(inserted)
}

/// Sends a job its result; a caller that stopped waiting is not an error.
fn answer(job: Job, result: Result<Inserted, StoreError>) {
    let recorded = result.map(|inserted| match inserted {
        Inserted::New => Recorded::New(job.decision),
        Inserted::Existing(stored) => Recorded::Repeat(*stored),
    });
    let _ = job.reply.send(recorded);
}
