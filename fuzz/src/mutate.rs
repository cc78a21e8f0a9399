//! Byte-level mutation: bit and byte flips, inserted, deleted and duplicated ranges, splices of
//! two corpus entries, tokens replaced by interesting values, deep nesting, BOMs and invisible
//! marks, and integers overwritten with edge values (for binary formats). Several at a time.

use crate::Target;
use crate::rng::Rng;

/// Values that break parsers: empty, signed zero, overflow, exponents, lone surrogates (JSON
/// escape and raw UTF-8 bytes), BOM, right-to-left and zero-width marks, control bytes, a
/// CPR-like number, invalid dates.
pub const INTERESTING: &[&[u8]] = &[
    b"",
    b"-0",
    b"0",
    b"-1",
    b"1e400",
    b"-1e-400",
    b"1E5",
    b"9999999999999999999999",
    b"-9999999999999999999999.99",
    b"79228162514264337593543950335",
    b"79228162514264337593543950336",
    b"0.0000000000000000000000000001",
    b"1000000000000.0001",
    b"18446744073709551616",
    b"4294967296",
    b"NaN",
    b"Infinity",
    b"\\ud800",
    b"\\udc00\\ud800",
    b"\xed\xa0\x80",
    b"\xef\xbb\xbf",
    b"\xe2\x80\x8f",
    b"\xe2\x80\xae",
    b"\xe2\x80\x8b",
    b"\xc2\xa0",
    b"\xc2\x9c",
    b"\x9c",
    b"\xa3",
    b"\xff\xfe",
    b"\x00",
    b"\r\n",
    b"010190-1234",
    b"0101901234",
    b"2902001234",
    b"DK12345674",
    b"5790000000005",
    b"2024-02-30",
    b"2024-02-29",
    b"0000-00-00",
    b"+275760-09-13",
    b"31/12/2024",
    b"29-Feb-24",
    b"1,234.50",
    b"1.234,50",
    b"(12.00)",
    b"12.00-",
    b"kr. 1.234,50",
    b"\xc2\xa31,000",
    b"\xe2\x82\xac",
    b"\xf0\x9f\x92\xb0",
    b"\xcc\x81\xcc\x81\xcc\x81",
];

const JSON_TOKENS: &[&[u8]] = &[
    b"\"number\"",
    b"\"issue_date\"",
    b"\"due_date\"",
    b"\"lines\"",
    b"\"net_amount\"",
    b"\"quantity\"",
    b"\"unit_price\"",
    b"\"vat_rate\"",
    b"\"vat_category\"",
    b"\"invoices\"",
    b"\"supplier\"",
    b"\"buyer\"",
    b"\"cvr\"",
    b"\"gln\"",
    b"\"type\"",
    b"\"credit_note\"",
    b"\"totals\"",
    b"\"description\"",
    b"null",
    b"true",
    b"{}",
    b"[]",
    b"\"\"",
    b"\"\\u0000\"",
    b"\"\\ud800\"",
    b"\"\\\\\"",
    b":",
    b",",
    b"{\"description\": \"x\", \"net_amount\": \"1\"}",
];

const XML_TOKENS: &[&[u8]] = &[
    b"<cbc:ID>1</cbc:ID>",
    b"<cac:InvoiceLine>",
    b"</cac:InvoiceLine>",
    b"<cbc:LineExtensionAmount currencyID=\"DKK\">",
    b"</cbc:LineExtensionAmount>",
    b"<cbc:InvoicedQuantity unitCode=\"EA\">",
    b"<cbc:PriceAmount currencyID=\"DKK\">",
    b"<cbc:Percent>",
    b"<cbc:IssueDate>",
    b"<cbc:EndpointID schemeID=\"GLN\">",
    b"<cbc:EndpointID schemeID=\"0184\">",
    b"<cbc:CompanyID schemeID=\"DK:CVR\">",
    b"<cbc:InvoiceTypeCode>381</cbc:InvoiceTypeCode>",
    b"<![CDATA[",
    b"]]>",
    b"<!-- x -->",
    b"<?pi x?>",
    b"&amp;",
    b"&lt;",
    b"&#0;",
    b"&#x10FFFF;",
    b"&#1114112;",
    b"&undefined;",
    b"<!DOCTYPE Invoice [<!ENTITY e \"x\">]>",
    b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
    b"xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"",
    b"xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\"",
    b"OIOUBL-2.02",
    b"urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0",
    b"<",
    b">",
    b"/>",
    b"=\"\"",
];

const ROW_TOKENS: &[&[u8]] = &[
    b",",
    b";",
    b"\t",
    b"|",
    b"\"",
    b"\"\"",
    b"\n",
    b"\r",
    b"::",
    b"-",
    b"kr",
    b"DKK",
    b"GBP",
    b"\xc2\xa3",
    b"1'234.50",
    b"1 234,50",
    b"Payment Date",
    b"Net Amount",
    b"Supplier Name(T)",
    b"Expenditure Code(T)",
    b"Kontostreng",
    b"\"5.25.14-1-2.21;10102\"",
    b"5.25.14-1-2.2110102I25",
    b"%Y",
    b"20240101",
    b"01.02.2024",
    b" 1 March 2024",
    b"2024-01-02 10:00:00",
    b"02/29/2023",
];

/// Invisible or confusing marks: BOM, right-to-left mark and override, zero-width space,
/// no-break space, NUL.
const MARKS: &[&[u8]] = &[
    b"\xef\xbb\xbf",
    b"\xe2\x80\x8f",
    b"\xe2\x80\xae",
    b"\xe2\x80\x8b",
    b"\xc2\xa0",
    b"\x00",
];

/// How many times a nesting mutation repeats its opening.
const NESTING: [usize; 4] = [64, 130, 1_100, 20_000];

/// A mutant of `input`; `other` is a second corpus entry to splice with. At most `max_len`.
pub fn mutate(rng: &mut Rng, target: Target, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut data = input.to_vec();
    let rounds = 1 << rng.below(4);
    for _ in 0..rng.range(1, rounds) {
        mutate_once(rng, target, &mut data, other);
    }
    data.truncate(target.max_len());
    data
}

fn tokens(target: Target) -> &'static [&'static [u8]] {
    match target {
        Target::Json => JSON_TOKENS,
        Target::Ubl => XML_TOKENS,
        Target::Row => ROW_TOKENS,
        Target::Model => INTERESTING,
    }
}

fn token(rng: &mut Rng, target: Target) -> &'static [u8] {
    let list = if rng.one_in(2) {
        INTERESTING
    } else {
        tokens(target)
    };
    list[rng.below(list.len())]
}

fn mutate_once(rng: &mut Rng, target: Target, data: &mut Vec<u8>, other: &[u8]) {
    let len = data.len();
    let ops = if target == Target::Model { 14 } else { 13 };
    match rng.below(ops) {
        0 if len > 0 => {
            let i = rng.below(len);
            data[i] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let i = rng.below(len);
            data[i] = match rng.below(3) {
                0 => *rng.pick(b"\x00\xff\x7f\x80\"<>{}[],;:\\\n\r\t -.0123456789"),
                1 => data[i].wrapping_add(rng.range(1, 4) as u8),
                _ => rng.next_u64() as u8,
            };
        }
        2 => {
            let at = rng.below(len + 1);
            let n = rng.small_len(16);
            let bytes = rng.bytes(n);
            data.splice(at..at, bytes);
        }
        3 if len > 0 => {
            let at = rng.below(len);
            let n = rng.small_len(len - at);
            data.drain(at..at + n);
        }
        4 if len > 0 => {
            // Duplicate a range, sometimes many times (long lines, many invoice lines).
            let from = rng.below(len);
            let n = rng.small_len(len - from);
            let copy = data[from..from + n].to_vec();
            let times = if rng.one_in(8) { rng.range(2, 64) } else { 1 };
            let at = rng.below(len + 1);
            let repeated: Vec<u8> = copy.iter().copied().cycle().take(n * times).collect();
            data.splice(at..at, repeated);
        }
        5 if len > 1 => {
            let from = rng.below(len);
            let to = rng.below(len);
            let n = rng.small_len(len - from.max(to));
            let copy = data[from..from + n].to_vec();
            data[to..to + n].copy_from_slice(&copy);
        }
        6 => {
            let at = rng.below(len + 1);
            let t = token(rng, target);
            data.splice(at..at, t.iter().copied());
        }
        7 if len > 0 => replace_token(rng, target, data),
        8 if !other.is_empty() => splice(rng, data, other),
        9 => nest(rng, target, data),
        10 => {
            let at = if rng.one_in(3) { 0 } else { rng.below(len + 1) };
            let mark = *rng.pick(MARKS);
            data.splice(at..at, mark.iter().copied());
        }
        11 if len > 0 => {
            // Another digit: moves dates, amounts and check digits.
            let start = rng.below(len);
            if let Some(i) = (start..len).find(|&i| data[i].is_ascii_digit()) {
                data[i] = b'0' + rng.below(10) as u8;
            }
        }
        12 if len > 0 => {
            let at = rng.below(len);
            let n = rng.small_len(len - at);
            data.truncate(at + n);
        }
        13 if len > 0 => overwrite_integer(rng, data),
        _ => {
            let at = rng.below(len + 1);
            let t = token(rng, target);
            data.splice(at..at, t.iter().copied());
        }
    }
}

/// Replaces the token around a random position (a run of letters, digits, `.`, `-`, `+`, `_`,
/// or a quoted string) with an interesting value or a target token.
fn replace_token(rng: &mut Rng, target: Target, data: &mut Vec<u8>) {
    let len = data.len();
    let at = rng.below(len);
    let word = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+' | b'_');
    let (start, end) = if data[at] == b'"' || data[at] == b'>' {
        let close = if data[at] == b'"' { b'"' } else { b'<' };
        let end = data[at + 1..]
            .iter()
            .position(|&b| b == close)
            .map_or(len, |p| at + 1 + p);
        (at + 1, end)
    } else {
        let mut start = at;
        while start > 0 && word(data[start - 1]) {
            start -= 1;
        }
        let mut end = at;
        while end < len && word(data[end]) {
            end += 1;
        }
        (start, end)
    };
    let t = token(rng, target);
    data.splice(start..end, t.iter().copied());
}

/// Either `data`'s head and `other`'s tail, or a slice of `other` inserted into `data`.
fn splice(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    let cut = rng.below(data.len() + 1);
    let from = rng.below(other.len());
    if rng.one_in(2) {
        data.truncate(cut);
        data.extend_from_slice(&other[from..]);
    } else {
        let n = rng.small_len(other.len() - from);
        data.splice(cut..cut, other[from..from + n].iter().copied());
    }
}

/// Deep nesting, in the target's own syntax.
fn nest(rng: &mut Rng, target: Target, data: &mut Vec<u8>) {
    let n = *rng.pick(&NESTING);
    let (open, close): (&[u8], &[u8]) = match target {
        Target::Json => *rng.pick(&[
            (&b"["[..], &b"]"[..]),
            (b"{\"a\":", b"}"),
            (b"{\"lines\":[", b"]}"),
        ]),
        Target::Ubl => *rng.pick(&[(&b"<a>"[..], &b"</a>"[..]), (b"<cac:Item>", b"</cac:Item>")]),
        Target::Row => (b"\"", b"\""),
        Target::Model => (b"\xff", b"\x01"),
    };
    let at = rng.below(data.len() + 1);
    let mut inner: Vec<u8> = open.repeat(n);
    if rng.one_in(2) {
        inner.extend(close.repeat(n));
    }
    data.splice(at..at, inner);
}

/// Overwrites bytes at a random offset with an edge-case integer: little-endian `u16`/`u32`/
/// `u64`, a `postcard` varint, or an `f32`/`f64` (NaN, infinities, -0, huge, tiny).
fn overwrite_integer(rng: &mut Rng, data: &mut [u8]) {
    let values: [u64; 10] = [
        0,
        1,
        0x7f,
        0x80,
        0xff,
        0xffff,
        u64::from(u32::MAX),
        u64::MAX,
        1 << 31,
        rng.next_u64(),
    ];
    let value = *rng.pick(&values);
    let bytes: Vec<u8> = match rng.below(6) {
        0 => (value as u16).to_le_bytes().to_vec(),
        1 => (value as u32).to_le_bytes().to_vec(),
        2 => value.to_le_bytes().to_vec(),
        3 => varint(value),
        4 => rng
            .pick(&[
                f32::NAN,
                f32::INFINITY,
                f32::NEG_INFINITY,
                -0.0,
                f32::MAX,
                f32::MIN_POSITIVE,
                1.0e-45,
            ])
            .to_le_bytes()
            .to_vec(),
        _ => rng
            .pick(&[f64::NAN, f64::INFINITY, -0.0, f64::MAX, 5e-324, 1.0])
            .to_le_bytes()
            .to_vec(),
    };
    let at = rng.below(data.len());
    let n = bytes.len().min(data.len() - at);
    data[at..at + n].copy_from_slice(&bytes[..n]);
}

/// `postcard`'s varint: seven bits a byte, low first, high bit set on all but the last.
fn varint(mut value: u64) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return out;
        }
        out.push(byte | 0x80);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutants_stay_within_the_limit_and_differ() {
        let mut rng = Rng::new(3);
        let seed = br#"{"number": "1", "lines": [{"description": "x", "net_amount": "1"}]}"#;
        let mut changed = 0;
        for _ in 0..2_000 {
            for target in Target::ALL {
                let m = mutate(&mut rng, target, seed, b"other entry");
                assert!(m.len() <= target.max_len());
                changed += usize::from(m != seed);
            }
        }
        assert!(changed > 7_000, "{changed}");
        // Empty inputs are mutated too.
        let _ = mutate(&mut rng, Target::Model, b"", b"");
    }

    #[test]
    fn varints() {
        assert_eq!(varint(0), [0]);
        assert_eq!(varint(300), [0xac, 0x02]);
        assert_eq!(varint(u64::MAX).len(), 10);
    }
}
