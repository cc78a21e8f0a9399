//! The synthetic chart of accounts: functions × dranst × art, and how it changes between years.
//!
//! An account id reads `function-dranst-art`, e.g. `5.25.14-1-2.21` (integrated daycare,
//! operations, food). The generator thinks in *semantic* codings (a function, a dranst and an
//! expense [`Cat`]); which account id that is depends on the era, i.e. on how many chart changes
//! have taken effect by the posting date. The changes, at year boundaries:
//! - at the start of the second year (when there are at least three): art `4.97` (courses) is
//!   renamed to `4.99`;
//! - at the start of the last year: art `4.93` (IT and telephony) is renamed to `4.98`; art `4.95`
//!   (cleaning) and the courses art are merged into `4.90` (other services); function `5.25.13`
//!   (kindergartens) is split into `5.25.17` and `5.25.18`, each institution going to one;
//!   function `5.38.42` (housing for people with special social problems) is renumbered `5.38.44`;
//!   and function `5.30.29` (preventive elderly care) is closed, its units moving to `5.30.27`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use kontera_core::Area;
use kontera_data::AccountRow;

use crate::catalogue::Cat;

/// A function of the municipal chart.
#[derive(Debug)]
pub(crate) struct Function {
    pub code: &'static str,
    pub name: &'static str,
    pub area: Area,
    /// Relative share of the area's units that have this function.
    pub unit_share: f64,
}

/// All functions, including those that only exist after a change (unit_share 0).
pub(crate) static FUNCTIONS: &[Function] = &[
    f("5.25.10", "Fælles formål, dagtilbud", Area::Daycare, 0.05),
    f("5.25.11", "Dagpleje", Area::Daycare, 0.15),
    f("5.25.13", "Børnehaver", Area::Daycare, 0.2),
    f(
        "5.25.14",
        "Integrerede daginstitutioner",
        Area::Daycare,
        0.5,
    ),
    f("5.25.16", "Klubber og fritidstilbud", Area::Daycare, 0.1),
    f("5.25.17", "Børnehaver, heldagspladser", Area::Daycare, 0.0),
    f("5.25.18", "Børnehaver, deltidspladser", Area::Daycare, 0.0),
    f("3.22.01", "Folkeskoler", Area::Schools, 0.7),
    f(
        "3.22.02",
        "Fællesudgifter for skolevæsenet",
        Area::Schools,
        0.05,
    ),
    f("3.22.05", "Skolefritidsordninger", Area::Schools, 0.0),
    f("3.22.08", "Kommunale specialskoler", Area::Schools, 0.2),
    f(
        "3.22.14",
        "Ungdommens uddannelsesvejledning",
        Area::Schools,
        0.05,
    ),
    f(
        "5.30.26",
        "Personlig og praktisk hjælp",
        Area::ElderlyCare,
        0.3,
    ),
    f(
        "5.30.27",
        "Pleje og omsorg, plejecentre",
        Area::ElderlyCare,
        0.45,
    ),
    f("5.30.28", "Hjemmesygepleje", Area::ElderlyCare, 0.15),
    f(
        "5.30.29",
        "Forebyggende indsats for ældre",
        Area::ElderlyCare,
        0.1,
    ),
    f(
        "5.28.21",
        "Forebyggende foranstaltninger for børn og unge",
        Area::Social,
        0.2,
    ),
    f(
        "5.28.23",
        "Døgninstitutioner for børn og unge",
        Area::Social,
        0.2,
    ),
    f(
        "5.38.42",
        "Botilbud for personer med særlige sociale problemer",
        Area::Social,
        0.15,
    ),
    f("5.38.44", "Botilbud og forsorgshjem", Area::Social, 0.0),
    f(
        "5.38.50",
        "Botilbud til længerevarende ophold",
        Area::Social,
        0.25,
    ),
    f(
        "5.38.52",
        "Botilbud til midlertidigt ophold",
        Area::Social,
        0.2,
    ),
    f(
        "0.28.20",
        "Grønne områder og naturpladser",
        Area::Technical,
        0.35,
    ),
    f("2.28.22", "Vejvedligeholdelse", Area::Technical, 0.35),
    f("2.28.24", "Vintertjeneste", Area::Technical, 0.1),
    f(
        "1.38.60",
        "Ordninger for dagrenovation",
        Area::Technical,
        0.2,
    ),
    f(
        "6.45.50",
        "Administrationsbygninger",
        Area::Administration,
        0.15,
    ),
    f(
        "6.45.51",
        "Sekretariat og forvaltninger",
        Area::Administration,
        0.5,
    ),
    f(
        "6.45.52",
        "Fælles IT og telefoni",
        Area::Administration,
        0.15,
    ),
    f("6.45.53", "Jobcentre", Area::Administration, 0.1),
    f("6.48.67", "Personalepolitik", Area::Administration, 0.1),
];

const fn f(code: &'static str, name: &'static str, area: Area, unit_share: f64) -> Function {
    Function {
        code,
        name,
        area,
        unit_share,
    }
}

/// Index of a function by code; the codes are fixed above, so a miss is a bug in this file.
pub(crate) fn function_index(code: &str) -> usize {
    FUNCTIONS
        .iter()
        .position(|f| f.code == code)
        .unwrap_or_else(|| panic!("no function {code}"))
}

/// The art (expense type) of a category in era 0, with its name.
fn base_art(cat: Cat) -> (&'static str, &'static str) {
    match cat {
        Cat::Food => ("2.21", "Fødevarer"),
        Cat::Fuel => ("2.22", "Brændsel og drivmidler"),
        Cat::Equipment => ("2.23", "Anskaffelser"),
        Cat::Medicine => ("2.27", "Medicin og sygeplejeartikler"),
        Cat::OtherGoods => ("2.29", "Øvrige varekøb"),
        Cat::ServicesNoVat => ("4.00", "Tjenesteydelser uden moms"),
        Cat::Craft => ("4.50", "Entreprenør- og håndværkerydelser"),
        Cat::OtherServices => ("4.90", "Øvrige tjenesteydelser"),
        Cat::Rent => ("4.91", "Husleje og leje af lokaler"),
        Cat::Utilities => ("4.92", "El, vand og varme"),
        Cat::ItTelecom => ("4.93", "IT og telefoni"),
        Cat::Consulting => ("4.94", "Konsulentydelser"),
        Cat::Cleaning => ("4.95", "Rengøring"),
        Cat::Transport => ("4.96", "Transport og kørsel"),
        Cat::Courses => ("4.97", "Kurser og uddannelse"),
        Cat::Municipal => ("4.70", "Betalinger til kommuner"),
    }
}

/// Every category, in a fixed order.
pub(crate) const CATS: [Cat; 16] = [
    Cat::Food,
    Cat::Fuel,
    Cat::Equipment,
    Cat::Medicine,
    Cat::OtherGoods,
    Cat::ServicesNoVat,
    Cat::Craft,
    Cat::OtherServices,
    Cat::Rent,
    Cat::Utilities,
    Cat::ItTelecom,
    Cat::Consulting,
    Cat::Cleaning,
    Cat::Transport,
    Cat::Courses,
    Cat::Municipal,
];

/// The chart's history for one generated dataset: when each era starts.
#[derive(Debug, Clone)]
pub(crate) struct ChartPlan {
    first_year: i32,
    /// Era index → first day of the era. Era 0 starts on the first day of the data.
    era_starts: Vec<NaiveDate>,
    /// Era in which courses were renamed (if there is such an era).
    courses_renamed: Option<usize>,
    /// Era of the main change (if there is one).
    main_change: Option<usize>,
}

/// A semantic coding: function, dranst and expense category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Semantic {
    pub function: usize,
    pub dranst: u8,
    pub cat: Cat,
}

impl ChartPlan {
    pub(crate) fn new(first_year: i32, years: u32) -> ChartPlan {
        let start = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).expect("1 January exists");
        let mut era_starts = vec![start(first_year)];
        let mut courses_renamed = None;
        let mut main_change = None;
        if years >= 3 {
            era_starts.push(start(first_year + 1));
            courses_renamed = Some(era_starts.len() - 1);
        }
        if years >= 2 {
            era_starts.push(start(first_year + years as i32 - 1));
            main_change = Some(era_starts.len() - 1);
        }
        ChartPlan {
            first_year,
            era_starts,
            courses_renamed,
            main_change,
        }
    }

    pub(crate) fn eras(&self) -> usize {
        self.era_starts.len()
    }

    /// The era a date falls in.
    pub(crate) fn era_of(&self, date: NaiveDate) -> usize {
        self.era_starts
            .iter()
            .rposition(|s| *s <= date)
            .unwrap_or(0)
    }

    fn after(&self, change: Option<usize>, era: usize) -> bool {
        change.is_some_and(|c| era >= c)
    }

    /// The art code and name of a category in an era.
    fn art(&self, cat: Cat, era: usize) -> (&'static str, &'static str) {
        let main = self.after(self.main_change, era);
        match cat {
            Cat::ItTelecom if main => ("4.98", "IT og telefoni"),
            Cat::Cleaning | Cat::Courses if main => base_art(Cat::OtherServices),
            Cat::Courses if self.after(self.courses_renamed, era) => {
                ("4.99", "Kurser og kompetenceudvikling")
            }
            _ => base_art(cat),
        }
    }

    /// The function a unit's function becomes in an era; `split_half` picks a side of a split.
    pub(crate) fn function_in(&self, function: usize, split_half: bool, era: usize) -> usize {
        if !self.after(self.main_change, era) {
            return function;
        }
        match FUNCTIONS[function].code {
            "5.25.13" if split_half => function_index("5.25.18"),
            "5.25.13" => function_index("5.25.17"),
            "5.30.29" => function_index("5.30.27"),
            "5.38.42" => function_index("5.38.44"),
            _ => function,
        }
    }

    /// The account id a semantic coding is posted to in an era.
    pub(crate) fn account_id(&self, s: Semantic, era: usize) -> String {
        let (art, _) = self.art(s.cat, era);
        format!("{}-{}-{}", FUNCTIONS[s.function].code, s.dranst, art)
    }

    /// Functions that exist in an era.
    fn functions_in(&self, era: usize) -> impl Iterator<Item = usize> + '_ {
        let main = self.after(self.main_change, era);
        (0..FUNCTIONS.len()).filter(move |&i| match FUNCTIONS[i].code {
            "5.25.13" | "5.30.29" | "5.38.42" => !main,
            "5.25.17" | "5.25.18" | "5.38.44" => main,
            _ => true,
        })
    }

    /// What becomes of a function at the start of `era` (which must be a change era).
    fn function_successors(&self, function: usize, era: usize) -> FunctionFate {
        if self.main_change != Some(era) {
            return FunctionFate::Same;
        }
        match FUNCTIONS[function].code {
            "5.25.13" => {
                FunctionFate::Split(vec![function_index("5.25.17"), function_index("5.25.18")])
            }
            "5.30.29" => FunctionFate::Closed,
            "5.38.42" => FunctionFate::Renamed(function_index("5.38.44")),
            _ => FunctionFate::Same,
        }
    }

    /// The whole chart as the `accounts` table: every function × category (dranst 1), plus
    /// construction (dranst 3) for crafts and equipment, in every era, with change links.
    pub(crate) fn accounts_table(&self) -> Vec<AccountRow> {
        // account id → (row, first era, last era)
        let mut rows: BTreeMap<String, (AccountRow, usize, usize)> = BTreeMap::new();
        for era in 0..self.eras() {
            for function in self.functions_in(era) {
                for s in semantics_of(function) {
                    let id = self.account_id(s, era);
                    let (art, art_name) = self.art(s.cat, era);
                    let entry = rows.entry(id.clone()).or_insert_with(|| {
                        let fun = &FUNCTIONS[function];
                        let row = AccountRow {
                            account: id,
                            name: format!("{}, {}", fun.name, art_name),
                            function: fun.code.to_owned(),
                            dranst: s.dranst.to_string(),
                            art: art.to_owned(),
                            valid_from: self.era_starts[era],
                            valid_to: None,
                            change: None,
                            successors: None,
                        };
                        (row, era, era)
                    });
                    entry.2 = era;
                }
            }
        }
        // Link every account that ends before the last era to what continues it.
        let last = self.eras() - 1;
        let mut out = Vec::with_capacity(rows.len());
        for (_, (mut row, _, last_era)) in rows {
            if last_era < last {
                let next = last_era + 1;
                row.valid_to = Some(self.era_starts[next]);
                let (change, successors) = self.successors_of(&row, last_era, next);
                row.change = Some(change.to_owned());
                row.successors = (!successors.is_empty()).then(|| successors.join(";"));
            }
            out.push(row);
        }
        out
    }

    /// How an account of era `from` continues in era `to = from + 1`.
    fn successors_of(
        &self,
        row: &AccountRow,
        from: usize,
        to: usize,
    ) -> (&'static str, Vec<String>) {
        let function = function_index(&row.function);
        let dranst: u8 = row.dranst.parse().expect("dranst is a digit");
        let cat = CATS
            .into_iter()
            .find(|&c| self.art(c, from).0 == row.art)
            .expect("every art comes from a category");
        let targets = match self.function_successors(function, to) {
            FunctionFate::Closed => return ("closed", Vec::new()),
            FunctionFate::Same => vec![function],
            FunctionFate::Renamed(f) => vec![f],
            FunctionFate::Split(fs) => fs,
        };
        let mut ids: Vec<String> = targets
            .iter()
            .map(|&f| {
                self.account_id(
                    Semantic {
                        function: f,
                        dranst,
                        cat,
                    },
                    to,
                )
            })
            .collect();
        ids.dedup();
        let kind = if ids.len() > 1 {
            "split"
        } else if cat_merges(cat, self, to) {
            "merged"
        } else {
            "renamed"
        };
        (kind, ids)
    }

    pub(crate) fn first_year(&self) -> i32 {
        self.first_year
    }
}

enum FunctionFate {
    Same,
    Renamed(usize),
    Split(Vec<usize>),
    Closed,
}

/// Whether a category's account is merged into another one at the start of `era`.
fn cat_merges(cat: Cat, plan: &ChartPlan, era: usize) -> bool {
    plan.main_change == Some(era) && matches!(cat, Cat::Cleaning | Cat::Courses)
}

/// The semantic codings the chart has for a function.
fn semantics_of(function: usize) -> impl Iterator<Item = Semantic> {
    let operations = CATS.into_iter().map(move |cat| Semantic {
        function,
        dranst: 1,
        cat,
    });
    let construction = [Cat::Craft, Cat::Equipment]
        .into_iter()
        .map(move |cat| Semantic {
            function,
            dranst: 3,
            cat,
        });
    operations.chain(construction)
}
