//! Target `json`: Kontera's JSON invoice, alone and as a batch.
//!
//! Invariants beyond "no panic": an accepted invoice keeps intake's limits (see
//! `outcome::received`), no error echoes a CPR number from the input, and an invoice that reads
//! alone reads the same as the only invoice of `{"invoices": [...]}`.

use super::outcome::{intake_error, received, small_bucket};

pub(super) fn run(data: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let one = kontera_intake::from_json(data);
    match &one {
        Ok(r) => received("one", r, &mut out),
        Err(e) => intake_error("one", data, e, &mut out),
    }
    match kontera_intake::batch_from_json(data) {
        Ok(batch) => {
            out.push(format!("batch:ok:{}", small_bucket(batch.len())));
            for r in &batch {
                received("batch", r, &mut out);
            }
        }
        Err(e) => intake_error("batch", data, &e, &mut out),
    }
    if let Ok(r) = &one {
        let mut wrapped = b"{\"invoices\": [".to_vec();
        wrapped.extend_from_slice(data);
        wrapped.extend_from_slice(b"]}");
        let again = kontera_intake::batch_from_json(&wrapped);
        assert_eq!(
            again.as_deref(),
            Ok(std::slice::from_ref(r)),
            "an invoice read alone differs from the same invoice in a batch"
        );
    }
    out
}
