//! The municipality's organisation: ~300 receiving units with GLNs, cost centres and the people
//! who order (buyer references), grouped in areas.

use kontera_core::{Area, Gln};
use kontera_data::UnitRow;
use rand::Rng;
use rand::seq::IndexedRandom;

use crate::chart::{FUNCTIONS, function_index};

/// One cost centre of a unit, with its function and the people who order on it.
#[derive(Debug, Clone)]
pub(crate) struct CostCentre {
    pub code: String,
    pub function: usize,
    pub buyer_refs: Vec<String>,
}

/// A receiving institution.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    pub id: String,
    pub name: String,
    pub gln: String,
    pub area: Area,
    /// The first is the unit's default cost centre.
    pub cost_centres: Vec<CostCentre>,
    /// Which side of a function split this unit goes to.
    pub split_half: bool,
}

/// How many units each area has (about 300 in all).
const UNITS_PER_AREA: [(Area, usize, &[&str]); 6] = [
    (
        Area::Daycare,
        110,
        &["Børnehuset", "Vuggestuen", "Børnehaven", "Dagtilbud"],
    ),
    (Area::Schools, 38, &["Skole", "Skolen ved", "Specialskolen"]),
    (
        Area::ElderlyCare,
        42,
        &["Plejecenter", "Hjemmeplejen", "Ældrecenter"],
    ),
    (
        Area::Social,
        45,
        &["Bostedet", "Opholdsstedet", "Botilbuddet", "Familiehuset"],
    ),
    (
        Area::Technical,
        28,
        &["Vej og Park", "Materielgården", "Genbrugsstationen"],
    ),
    (
        Area::Administration,
        40,
        &[
            "Borgerservice",
            "Økonomi",
            "HR",
            "Jobcenter",
            "IT-afdelingen",
        ],
    ),
];

const PLACE_NAMES: &[&str] = &[
    "Solsikken",
    "Lindehaven",
    "Kastanjen",
    "Bøgely",
    "Egebakken",
    "Møllevangen",
    "Skovbrynet",
    "Åparken",
    "Nørretoft",
    "Søndermarken",
    "Vestervang",
    "Østerlund",
    "Strandgården",
    "Kildebakken",
    "Rosenhaven",
    "Birkely",
    "Hyldebo",
    "Engtoften",
    "Fjordblink",
    "Bakkegården",
    "Havbrisen",
    "Granly",
    "Pilegården",
    "Spiren",
    "Regnbuen",
    "Mariehønen",
    "Troldehøjen",
    "Humlebien",
];

/// Builds the units; deterministic for a given rng.
pub(crate) fn build_units(rng: &mut impl Rng) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut next_cc = 0u32;
    for (area, count, prefixes) in UNITS_PER_AREA {
        let functions: Vec<(usize, f64)> = FUNCTIONS
            .iter()
            .enumerate()
            .filter(|(_, f)| f.area == area && f.unit_share > 0.0)
            .map(|(i, f)| (i, f.unit_share))
            .collect();
        for k in 0..count {
            let idx = units.len();
            let function = functions
                .choose_weighted(rng, |f| f.1)
                .expect("every area has functions")
                .0;
            let prefix = prefixes[k % prefixes.len()];
            let place = PLACE_NAMES[rng.random_range(0..PLACE_NAMES.len())];
            let name = format!("{prefix} {place}");
            // GS1 Denmark prefix 579; 5798 is the public sector's range.
            let base = 579_800_000_000 + 10_000 + idx as u64 * 37 + rng.random_range(0..37);
            let gln = Gln::from_base(base)
                .expect("base has twelve digits")
                .to_string();
            let mut cost_centres = vec![cost_centre(rng, &mut next_cc, area, function)];
            // Schools run an after-school club on its own cost centre and function; larger care
            // homes and administrations split their budget over a second cost centre.
            if FUNCTIONS[function].code == "3.22.01" && rng.random_bool(0.8) {
                let sfo = function_index("3.22.05");
                cost_centres.push(cost_centre(rng, &mut next_cc, area, sfo));
            } else if matches!(area, Area::ElderlyCare | Area::Administration)
                && rng.random_bool(0.3)
            {
                cost_centres.push(cost_centre(rng, &mut next_cc, area, function));
            }
            units.push(Unit {
                id: format!("U{:04}", idx + 1),
                name,
                gln,
                area,
                cost_centres,
                split_half: rng.random_bool(0.5),
            });
        }
    }
    units
}

fn cost_centre(rng: &mut impl Rng, next: &mut u32, area: Area, function: usize) -> CostCentre {
    *next += 1;
    let area_digit = Area::ALL.iter().position(|a| *a == area).unwrap_or(0) + 1;
    let code = format!("{}{:04}", area_digit, *next);
    let people = rng.random_range(1..=4);
    let buyer_refs = (0..people)
        .map(|_| {
            let letters: String = (0..3)
                .map(|_| char::from(rng.random_range(b'A'..=b'Z')))
                .collect();
            format!("{letters}{:03}", rng.random_range(100..1000))
        })
        .collect();
    CostCentre {
        code,
        function,
        buyer_refs,
    }
}

/// The `units` table.
pub(crate) fn units_table(units: &[Unit]) -> Vec<UnitRow> {
    units
        .iter()
        .map(|u| UnitRow {
            unit_id: u.id.clone(),
            name: u.name.clone(),
            gln: u.gln.clone(),
            cost_centre: u.cost_centres[0].code.clone(),
            area: u.area.as_str().to_owned(),
        })
        .collect()
}
