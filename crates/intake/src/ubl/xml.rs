//! Finding UBL elements by namespace and local name, and reading their text and numbers.

use roxmltree::Node;
use rust_decimal::Decimal;

use crate::IntakeError;
use crate::limits::length_problem;
use crate::number::{NumberKind, parse_text};

/// The UBL 2 namespaces (OIOUBL 2.x and Peppol BIS 3 use the same ones).
pub(super) const CBC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
pub(super) const CAC: &str =
    "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
pub(super) const INVOICE: &str = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
pub(super) const CREDIT_NOTE: &str = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";

/// The child elements of `node` in namespace `ns` named `name`.
pub(super) fn children<'a, 'i>(
    node: Node<'a, 'i>,
    ns: &'static str,
    name: &'static str,
) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(move |child| {
        child.is_element()
            && child.tag_name().name() == name
            && child.tag_name().namespace() == Some(ns)
    })
}

/// The first `cbc:` child named `name`.
pub(super) fn cbc<'a, 'i>(node: Node<'a, 'i>, name: &'static str) -> Option<Node<'a, 'i>> {
    children(node, CBC, name).next()
}

/// The first `cac:` child named `name`.
pub(super) fn cac<'a, 'i>(node: Node<'a, 'i>, name: &'static str) -> Option<Node<'a, 'i>> {
    children(node, CAC, name).next()
}

/// Follows a path of `cac:` aggregates (`["AccountingSupplierParty", "Party"]`).
pub(super) fn cac_path<'a, 'i>(node: Node<'a, 'i>, path: &[&'static str]) -> Option<Node<'a, 'i>> {
    path.iter().try_fold(node, |at, name| cac(at, name))
}

/// An element's text with runs of whitespace collapsed to one space; `None` when empty.
pub(super) fn text(node: Node<'_, '_>) -> Option<String> {
    let mut out = String::new();
    for piece in node
        .descendants()
        .filter(Node::is_text)
        .filter_map(|n| n.text())
    {
        for word in piece.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    (!out.is_empty()).then_some(out)
}

/// An attribute, trimmed; `None` when absent or empty.
pub(super) fn attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attribute(name)
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

/// Whether `node`'s `schemeID` (or `listID`) is one of `schemes`, case-insensitively.
pub(super) fn scheme_is(node: Node<'_, '_>, attribute: &str, schemes: &[&str]) -> bool {
    attr(node, attribute).is_some_and(|s| schemes.iter().any(|x| s.eq_ignore_ascii_case(x)))
}

/// The text of an optional element, at most `max` characters.
pub(super) fn text_at(
    node: Option<Node<'_, '_>>,
    path: &str,
    max: usize,
) -> Result<Option<String>, IntakeError> {
    let Some(value) = node.and_then(text) else {
        return Ok(None);
    };
    match length_problem(&value, max) {
        Some(message) => Err(IntakeError::invalid(path, message)),
        None => Ok(Some(value)),
    }
}

/// The number in an optional element.
pub(super) fn number_at(
    node: Option<Node<'_, '_>>,
    path: &str,
    kind: NumberKind,
) -> Result<Option<Decimal>, IntakeError> {
    let Some(node) = node else {
        return Ok(None);
    };
    let raw = node.text().unwrap_or("");
    parse_text(raw, kind)
        .map(Some)
        .map_err(|message| IntakeError::invalid(path, message))
}
