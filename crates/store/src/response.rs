//! A decision's response body as stored: on SQLite the JSON compressed with LZ4 in a BLOB (the
//! responses are four fifths of the store's bytes, and LZ4 takes about two thirds away), on
//! PostgreSQL the JSON as text (PostgreSQL compresses long values itself). Reading takes either
//! form, so responses stored as text before stay readable.

use crate::engine::Engine;

/// The first byte of a compressed response: the format, so that another can follow.
const LZ4_BLOCK: u8 = 1;
/// Bytes before the compressed block: the format, then the JSON's length (u32, little-endian).
const HEADER: usize = 5;
/// The longest JSON stored compressed (a longer one is stored as text); also the most a stored
/// length may claim, so a damaged row cannot ask for gigabytes.
const MAX_PACKED: usize = 64 << 20;

/// A response as it is bound to the `response` column: compressed, or its decision's text as it
/// is.
#[derive(Debug)]
pub(crate) enum Stored {
    Packed(Vec<u8>),
    Text,
}

/// The stored form of `json` on `engine`.
pub(crate) fn stored(engine: Engine, json: &str) -> Stored {
    match engine {
        Engine::Sqlite if json.len() <= MAX_PACKED => Stored::Packed(pack(json)),
        _ => Stored::Text,
    }
}

/// The format byte, the length, then the LZ4 block.
fn pack(json: &str) -> Vec<u8> {
    let max = lz4_flex::block::get_maximum_output_size(json.len());
    let mut out = vec![0u8; HEADER + max];
    out[0] = LZ4_BLOCK;
    let len = u32::try_from(json.len()).expect("at most MAX_PACKED bytes are packed");
    out[1..HEADER].copy_from_slice(&len.to_le_bytes());
    let written = lz4_flex::block::compress_into(json.as_bytes(), &mut out[HEADER..])
        .expect("the buffer has room for the largest block");
    out.truncate(HEADER + written);
    out
}

/// The JSON of a compressed response; the error says what is wrong with the bytes.
pub(crate) fn unpack(bytes: &[u8]) -> Result<String, &'static str> {
    let (&format, rest) = bytes
        .split_first()
        .ok_or("a compressed response (it is empty)")?;
    if format != LZ4_BLOCK || rest.len() < HEADER - 1 {
        return Err("a compressed response (unknown format byte, or too short)");
    }
    let (len, block) = rest.split_at(HEADER - 1);
    let len = u32::from_le_bytes(len.try_into().expect("four bytes")) as usize;
    if len > MAX_PACKED {
        return Err("a compressed response (its length is out of range)");
    }
    let json = lz4_flex::block::decompress(block, len)
        .map_err(|_| "a compressed response (the LZ4 block is damaged)")?;
    // A block cut short after a run of literals expands without error, to less.
    if json.len() != len {
        return Err("a compressed response (it expands to another length than stored)");
    }
    String::from_utf8(json).map_err(|_| "a compressed response (not UTF-8 once expanded)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_comes_back_as_it_went_in_and_smaller() {
        let json = format!(
            "{{\"lines\":[{}]}}",
            (0..40)
                .map(|i| format!(
                    "{{\"line_no\":{i},\"account\":\"5.25.18-1-2.21\",\"cpr\":\"æøå\"}}"
                ))
                .collect::<Vec<_>>()
                .join(",")
        );
        let Stored::Packed(packed) = stored(Engine::Sqlite, &json) else {
            panic!("SQLite stores the response compressed");
        };
        assert!(
            packed.len() * 4 < json.len(),
            "{} of {}",
            packed.len(),
            json.len()
        );
        assert_eq!(unpack(&packed).unwrap(), json);
        assert_eq!(unpack(&pack("")).unwrap(), "");
        assert!(matches!(stored(Engine::Postgres, &json), Stored::Text));
    }

    #[test]
    fn damaged_bytes_are_refused_not_expanded() {
        let packed = pack("{\"decision\":\"auto\"}");
        assert!(unpack(&[]).is_err());
        assert!(unpack(&packed[..3]).is_err());
        let mut other_format = packed.clone();
        other_format[0] = 9;
        assert!(unpack(&other_format).is_err());
        let mut huge = packed.clone();
        huge[1..HEADER].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(
            unpack(&huge),
            Err("a compressed response (its length is out of range)")
        );
        let mut cut = packed.clone();
        cut.truncate(packed.len() - 2);
        assert!(unpack(&cut).is_err());
        // Cut after its first run of literals, a block expands cleanly to less than stored.
        let long = "a".repeat(40) + "xyz";
        let packed = pack(&long);
        let lengths: Vec<usize> = (HEADER + 1..packed.len()).collect();
        assert!(
            lengths.iter().all(|&n| unpack(&packed[..n]).is_err()),
            "every prefix of the block is refused"
        );
    }
}
