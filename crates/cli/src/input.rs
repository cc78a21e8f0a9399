//! Loading labelled lines for `train` and `evaluate`: the six contract tables, or a real
//! single-table export read through a mapping file. Both give lines in a date window.

use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::NaiveDate;
use kontera_core::Chart;
use kontera_data::{
    Dataset, ExportMapping, ExportRow, chart_from_rows, read_dataset, read_dataset_issued,
    read_export,
};
use kontera_train::example::Example;
use kontera_train::export_example::ExportExample;
use kontera_train::labelled::{ReviewReport, ReviewedCodings, labelled_lines_with_reviews};
use kontera_train::{IngestOptions, LabelledLine, labelled_lines};

/// Where the data comes from.
#[derive(Debug, Clone, clap::Args)]
pub struct Source {
    /// Directory with the six contract tables, or with the export files when --mapping is given.
    #[arg(long)]
    pub data: PathBuf,
    /// Mapping file (TOML) for a real single-table export; see data/README.md.
    #[arg(long)]
    pub mapping: Option<PathBuf>,
}

/// The lines of a window, from either kind of source.
#[derive(Debug)]
pub enum Lines {
    Contract(Vec<LabelledLine>),
    Export(Vec<ExportExample>),
}

/// A source read once, from which any number of windows are taken.
#[derive(Debug)]
pub enum Loaded {
    Contract {
        ds: Dataset,
        chart: Chart,
    },
    Export {
        rows: Vec<ExportRow>,
        report: String,
    },
}

impl Source {
    /// Reads the whole source: the contract tables and their chart, or the mapped export.
    pub fn open(&self) -> anyhow::Result<Loaded> {
        self.open_period(None)
    }

    /// [`Source::open`] of the invoices issued in `from..=to` only (with their lines and
    /// postings), for a command that reads one period: the contract tables' other years are
    /// never turned into rows. An export is read whole (one file; its windows are cheap).
    pub fn open_issued(&self, from: NaiveDate, to: NaiveDate) -> anyhow::Result<Loaded> {
        self.open_period(Some((from, to)))
    }

    fn open_period(&self, period: Option<(NaiveDate, NaiveDate)>) -> anyhow::Result<Loaded> {
        match &self.mapping {
            Some(mapping) => {
                let m = ExportMapping::from_file(mapping)?;
                let export = read_export(&self.data, &m)
                    .with_context(|| format!("reading the export in {}", self.data.display()))?;
                Ok(Loaded::Export {
                    report: export.report.to_string(),
                    rows: export.rows,
                })
            }
            None => {
                let ds = match period {
                    None => read_dataset(&self.data),
                    Some((from, to)) => read_dataset_issued(&self.data, from, to),
                }
                .with_context(|| {
                    format!("reading the contract tables in {}", self.data.display())
                })?;
                let chart = chart_from_rows(&ds.accounts)?;
                Ok(Loaded::Contract { ds, chart })
            }
        }
    }
}

impl Loaded {
    /// The lines whose date lies in `from..=to`; `summary` gets a human report of what was
    /// read, mapped and dropped.
    pub fn lines(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        summary: &mut String,
    ) -> anyhow::Result<Lines> {
        self.lines_with_reviews(from, to, None, summary)
            .map(|(lines, _)| lines)
    }

    /// [`Loaded::lines`] with reviewed codings (`kontera export-reviews`) on top of the ERP's
    /// postings, the reviewed coding winning; answers what the reviews did too. Reviews join
    /// the contract tables' invoices, so an export source refuses them.
    pub fn lines_with_reviews(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        reviews: Option<&ReviewedCodings>,
        summary: &mut String,
    ) -> anyhow::Result<(Lines, Option<ReviewReport>)> {
        match self {
            Loaded::Export { .. } if reviews.is_some() => anyhow::bail!(
                "--reviews needs the six contract tables: reviewed codings join the ERP's \
                 invoices and invoice lines, which a single-table export (--mapping) does not have"
            ),
            Loaded::Export { rows, report } => {
                summary.clone_from(report);
                let rows = rows
                    .iter()
                    .filter(|r| (from..=to).contains(&r.date))
                    .map(|r| ExportExample::new(r.clone()))
                    .collect();
                Ok((Lines::Export(rows), None))
            }
            Loaded::Contract { ds, chart } => {
                // Map onto the newest chart the data knows, or the window's end if later.
                let as_of = chart.latest_change_date().map_or(to, |d| d.max(to));
                let options = IngestOptions {
                    from: Some(from),
                    to: Some(to),
                    as_of,
                };
                let labelled = match reviews {
                    Some(reviews) => labelled_lines_with_reviews(ds, reviews, chart, &options)?,
                    None => labelled_lines(ds, chart, &options)?,
                };
                *summary = labelled.report.to_string();
                Ok((Lines::Contract(labelled.lines), labelled.report.reviews))
            }
        }
    }

    /// The chart of accounts of a contract source (account strings on invoices are checked
    /// against it); `None` for an export, which has no chart.
    pub fn chart(&self) -> Option<&Chart> {
        match self {
            Loaded::Contract { chart, .. } => Some(chart),
            Loaded::Export { .. } => None,
        }
    }
}

impl Lines {
    pub fn len(&self) -> usize {
        match self {
            Lines::Contract(l) => l.len(),
            Lines::Export(l) => l.len(),
        }
    }
}

/// A window of days: the training window, or the evaluated period.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Window {
    /// First day of the window (inclusive), e.g. 2022-01-01.
    #[arg(long)]
    pub from: NaiveDate,
    /// Last day of the window (inclusive), e.g. 2024-12-31.
    #[arg(long)]
    pub to: NaiveDate,
}

impl Window {
    /// Checks that the window is ordered.
    pub fn check(&self) -> anyhow::Result<()> {
        let (from, to) = (self.from, self.to);
        anyhow::ensure!(
            from <= to,
            "--from {from} is after --to {to}; give the window's first day first"
        );
        Ok(())
    }
}

/// Fingerprints lines: what they say about each line, in order.
pub fn fingerprint<E: Example>(lines: &[E]) -> String {
    use kontera_core::model::Field;
    let mut f = kontera_model::Fingerprint::new();
    for l in lines {
        let e = l.evidence();
        f.update_str(l.invoice());
        f.update_str(&l.date().to_string());
        for s in [
            e.supplier,
            e.unit,
            e.buyer_reference,
            Some(e.text),
            e.item_id,
        ] {
            f.update_str(s.unwrap_or(""));
        }
        f.update_u64(e.amount.to_bits());
        for field in Field::ALL {
            f.update_str(l.label(field).unwrap_or(""));
        }
    }
    f.finish_hex()
}

/// The final path component of a model directory, as its name.
pub fn model_name(dir: &Path) -> String {
    dir.file_name()
        .map_or_else(|| "model".to_owned(), |n| n.to_string_lossy().into_owned())
}
