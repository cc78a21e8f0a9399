//! Writing is deterministic: the same dataset gives byte-identical files, in both formats.

mod common;

use common::awkward_dataset;
use kontera_data::{Format, TABLE_NAMES, write_dataset};

#[test]
fn two_writes_give_identical_bytes() {
    // Enough rows for several CSV batches, so that parallel serialisation is exercised too.
    let mut ds = awkward_dataset();
    let line = ds.invoice_lines[0].clone();
    ds.invoice_lines = (1..=5000)
        .map(|i| {
            let mut l = line.clone();
            l.line_no = i;
            l
        })
        .collect();
    for format in Format::ALL {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        write_dataset(&ds, a.path(), format).unwrap();
        write_dataset(&ds, b.path(), format).unwrap();
        for table in TABLE_NAMES {
            let name = format.file_name(table);
            let first = std::fs::read(a.path().join(&name)).unwrap();
            let second = std::fs::read(b.path().join(&name)).unwrap();
            assert!(!first.is_empty(), "{name} is empty");
            assert!(first == second, "{name} differs between two writes");
        }
    }
}

#[test]
fn writing_a_format_removes_the_other_formats_stale_file() {
    let ds = awkward_dataset();
    let dir = tempfile::tempdir().unwrap();
    write_dataset(&ds, dir.path(), Format::Csv).unwrap();
    write_dataset(&ds, dir.path(), Format::Parquet).unwrap();
    for table in TABLE_NAMES {
        assert!(!dir.path().join(Format::Csv.file_name(table)).exists());
        assert!(dir.path().join(Format::Parquet.file_name(table)).exists());
    }
    assert_eq!(kontera_data::read_dataset(dir.path()).unwrap(), ds);
}
