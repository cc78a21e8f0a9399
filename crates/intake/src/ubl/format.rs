//! Which UBL customization a document follows, from its `cbc:CustomizationID`.

use roxmltree::Node;

use super::xml::{cbc, text};
use crate::Format;

/// Peppol BIS Billing 3 names this in its CustomizationID.
const PEPPOL_BIS3: &str = "urn:fdc:peppol.eu:2017:poacc:billing:3.0";

/// OIOUBL 2.x writes `OIOUBL-2.01`, `OIOUBL-2.02`, `OIOUBL-2.1`, ...
const OIOUBL_2: &str = "OIOUBL-2";

/// Detects the format; no CustomizationID, or an unknown one, is plain [`Format::Ubl`].
pub(super) fn detect(root: Node<'_, '_>) -> Format {
    let Some(customization) = cbc(root, "CustomizationID").and_then(text) else {
        return Format::Ubl;
    };
    if customization.contains(PEPPOL_BIS3) {
        Format::PeppolBis3
    } else if customization
        .get(..OIOUBL_2.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(OIOUBL_2))
    {
        Format::Oioubl
    } else {
        Format::Ubl
    }
}
