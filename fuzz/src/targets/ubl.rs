//! Target `ubl`: the UBL 2.1 e-invoice (OIOUBL, Peppol BIS 3, invoices and credit notes).
//!
//! Invariants beyond "no panic": an accepted document keeps intake's limits (see
//! `outcome::received`) and no error or warning echoes a CPR number from the input.

use super::outcome::{assert_no_cpr_echo, intake_error, received};

pub(super) fn run(data: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    match kontera_intake::from_ubl(data) {
        Ok(r) => {
            for warning in &r.warnings {
                assert_no_cpr_echo(data, &warning.to_string());
            }
            received("ubl", &r, &mut out);
        }
        Err(e) => intake_error("ubl", data, &e, &mut out),
    }
    out
}
