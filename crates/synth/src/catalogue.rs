//! The catalogue of supplier kinds: what each kind sells, to which areas, at what prices and VAT.
//!
//! This is the generator's world knowledge. Each item carries the expense category it is coded
//! to, so a supplier that sells items of several categories posts to several accounts.

use kontera_core::Area;

/// The expense category an item is coded to; the chart turns it into an *art* (see `chart.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Cat {
    Food,
    Fuel,
    Equipment,
    Medicine,
    OtherGoods,
    ServicesNoVat,
    Craft,
    OtherServices,
    Rent,
    Utilities,
    ItTelecom,
    Consulting,
    Cleaning,
    Transport,
    Courses,
    Municipal,
}

/// How an invoice's VAT is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Vat {
    /// 25%, UBL category `S`.
    Standard,
    /// No VAT, UBL category `E` (social care, passenger transport, rent, education).
    Exempt,
    /// Services bought abroad, UBL `AE`, 0% on the invoice.
    ReverseCharge,
}

/// One thing a kind of supplier sells.
#[derive(Debug)]
pub(crate) struct Item {
    pub text: &'static str,
    pub cat: Cat,
    /// Median unit price in DKK.
    pub price: f64,
    /// Lognormal spread of the unit price.
    pub spread: f64,
    /// Quantity range (inclusive).
    pub qty: (u32, u32),
    pub unspsc: &'static str,
}

/// A kind of supplier.
#[derive(Debug)]
pub(crate) struct Kind {
    pub name: &'static str,
    pub industry: &'static [&'static str],
    pub areas: &'static [Area],
    pub vat: Vat,
    /// Lines per invoice (inclusive range).
    pub lines: (u8, u8),
    pub items: &'static [Item],
    /// Words used to build company names.
    pub name_words: &'static [&'static str],
    /// Relative number of long-tail creditors of this kind.
    pub tail_share: f64,
    /// Whether its invoices come as monthly contracts (utilities, rent, placements).
    pub recurring: bool,
    /// Line amounts at or above this go to `Equipment` instead of the item's category.
    pub equipment_from: Option<f64>,
    /// Invoices whose net total reaches this are construction (dranst 3) with a project.
    pub construction_from: Option<f64>,
    /// Line texts carry the CPR number of the citizen the service is for.
    pub cpr_in_text: bool,
}

const fn item(
    text: &'static str,
    cat: Cat,
    price: f64,
    spread: f64,
    qty: (u32, u32),
    unspsc: &'static str,
) -> Item {
    Item {
        text,
        cat,
        price,
        spread,
        qty,
        unspsc,
    }
}

use Area::{Administration, Daycare, ElderlyCare, Schools, Social, Technical};
use Cat::*;

const ALL_AREAS: &[Area] = &Area::ALL;
const INSTITUTIONS: &[Area] = &[Daycare, Schools, ElderlyCare, Social];

const fn kind(
    name: &'static str,
    industry: &'static [&'static str],
    areas: &'static [Area],
) -> Kind {
    Kind {
        name,
        industry,
        areas,
        vat: Vat::Standard,
        lines: (1, 1),
        items: &[],
        name_words: &[],
        tail_share: 1.0,
        recurring: false,
        equipment_from: None,
        construction_from: None,
        cpr_in_text: false,
    }
}

/// Every kind of supplier the generator knows, in a fixed order (indices are stable).
pub(crate) static KINDS: &[Kind] = &[
    Kind {
        lines: (2, 14),
        items: &[
            item("Minimælk 1 ltr", Food, 11.5, 0.1, (6, 40), "50131700"),
            item("Rugbrød skiveskåret", Food, 22.0, 0.15, (2, 20), "50181900"),
            item("Havregryn 1 kg", Food, 14.0, 0.1, (2, 12), "50221100"),
            item(
                "Bananer økologiske kg",
                Food,
                19.0,
                0.2,
                (2, 15),
                "50300000",
            ),
            item("Æbler danske kg", Food, 21.0, 0.2, (2, 15), "50300000"),
            item("Gulerødder 2 kg", Food, 16.0, 0.2, (1, 10), "50400000"),
            item("Pålægssalami skiver", Food, 29.0, 0.2, (1, 10), "50110000"),
            item("Ost 45+ skiver", Food, 38.0, 0.2, (1, 10), "50131800"),
            item("Kaffe formalet 500 g", Food, 45.0, 0.15, (1, 8), "50201700"),
            item(
                "Opvasketabs 100 stk",
                OtherGoods,
                89.0,
                0.2,
                (1, 4),
                "47131800",
            ),
            item(
                "Køkkenrulle 4 rl",
                OtherGoods,
                34.0,
                0.2,
                (1, 10),
                "14111700",
            ),
            item(
                "Servietter hvide 500 stk",
                OtherGoods,
                59.0,
                0.2,
                (1, 5),
                "14111700",
            ),
        ],
        name_words: &[
            "Dagligvarer",
            "Købmand",
            "Grossisten",
            "Fødevarer",
            "Supermarked",
        ],
        tail_share: 1.5,
        ..kind(
            "groceries",
            &["463900", "471100"],
            &[Daycare, ElderlyCare, Social, Schools],
        )
    },
    Kind {
        lines: (1, 3),
        items: &[
            item(
                "Madservice hovedretter uge",
                Food,
                62.0,
                0.15,
                (20, 300),
                "90101600",
            ),
            item(
                "Mellemmåltider levering",
                Food,
                18.0,
                0.2,
                (20, 200),
                "90101600",
            ),
            item(
                "Frokostordning børn",
                Food,
                24.0,
                0.15,
                (100, 900),
                "90101600",
            ),
        ],
        name_words: &["Madservice", "Catering", "Køkkenet", "Fællesmad"],
        tail_share: 0.6,
        ..kind("catering", &["562900"], &[ElderlyCare, Daycare, Schools])
    },
    Kind {
        lines: (1, 8),
        items: &[
            item(
                "Kopipapir A4 80g 5x500 ark",
                OtherGoods,
                189.0,
                0.15,
                (1, 20),
                "14111500",
            ),
            item(
                "Kuglepenne blå 50 stk",
                OtherGoods,
                79.0,
                0.2,
                (1, 5),
                "44121700",
            ),
            item(
                "Toner sort HP 59A",
                OtherGoods,
                899.0,
                0.15,
                (1, 4),
                "44103100",
            ),
            item(
                "Ringbind A4 40 mm",
                OtherGoods,
                19.0,
                0.2,
                (5, 50),
                "44122000",
            ),
            item(
                "Post-it 76x76 12 blk",
                OtherGoods,
                65.0,
                0.2,
                (1, 6),
                "44121600",
            ),
            item(
                "Kontorstol ergonomisk",
                OtherGoods,
                3900.0,
                0.3,
                (1, 6),
                "56112100",
            ),
            item(
                "Hæve-sænkebord 160x80",
                OtherGoods,
                5400.0,
                0.25,
                (1, 4),
                "56101700",
            ),
            item(
                "Reol 5 hylder eg",
                OtherGoods,
                1800.0,
                0.3,
                (1, 4),
                "56101500",
            ),
        ],
        name_words: &["Kontor", "Kontorforsyning", "Papir", "Office"],
        tail_share: 0.8,
        equipment_from: Some(5000.0),
        ..kind("office", &["466500", "476200"], ALL_AREAS)
    },
    Kind {
        lines: (1, 6),
        items: &[
            item(
                "Matematikbog 5. kl elevudgave",
                OtherGoods,
                189.0,
                0.15,
                (10, 30),
                "55101500",
            ),
            item(
                "Læsebøger klassesæt",
                OtherGoods,
                2400.0,
                0.2,
                (1, 3),
                "55101500",
            ),
            item(
                "Digital læringsportal skolelicens",
                ItTelecom,
                14500.0,
                0.4,
                (1, 1),
                "43232400",
            ),
            item(
                "Tegneblok A3 25 ark",
                OtherGoods,
                39.0,
                0.2,
                (5, 30),
                "14111600",
            ),
            item(
                "Farveblyanter 144 stk",
                OtherGoods,
                279.0,
                0.2,
                (1, 5),
                "44121700",
            ),
        ],
        name_words: &["Forlag", "Læremidler", "Skolebøger", "Undervisning"],
        tail_share: 0.7,
        ..kind("learning", &["581100", "476100"], &[Schools, Daycare])
    },
    Kind {
        lines: (1, 5),
        items: &[
            item(
                "Bærbar PC 14\" i5 16GB",
                Equipment,
                7900.0,
                0.2,
                (1, 10),
                "43211503",
            ),
            item(
                "Skærm 27\" USB-C",
                Equipment,
                2100.0,
                0.2,
                (1, 10),
                "43211900",
            ),
            item(
                "Dockingstation",
                OtherGoods,
                1400.0,
                0.2,
                (1, 10),
                "43211600",
            ),
            item(
                "Microsoft 365 E3 licens mdr",
                ItTelecom,
                245.0,
                0.1,
                (20, 400),
                "43232300",
            ),
            item(
                "Support og drift time",
                ItTelecom,
                950.0,
                0.15,
                (1, 40),
                "81111800",
            ),
            item(
                "Fagsystem årlig licens",
                ItTelecom,
                42000.0,
                0.5,
                (1, 1),
                "43232600",
            ),
        ],
        name_words: &["IT", "Data", "Systemer", "Digital", "Tech"],
        tail_share: 1.0,
        ..kind(
            "it",
            &["620100", "465100"],
            &[Administration, Schools, ElderlyCare, Social],
        )
    },
    Kind {
        recurring: true,
        items: &[
            item(
                "Mobilabonnement erhverv",
                ItTelecom,
                129.0,
                0.1,
                (2, 60),
                "81161700",
            ),
            item(
                "Fastnet og bredbånd",
                ItTelecom,
                899.0,
                0.2,
                (1, 1),
                "81161700",
            ),
        ],
        name_words: &["Telecom", "Tele", "Net"],
        tail_share: 0.05,
        ..kind("telecom", &["611000", "612000"], ALL_AREAS)
    },
    Kind {
        recurring: true,
        items: &[
            item("El forbrug", Utilities, 4200.0, 0.5, (1, 1), "83101800"),
            item(
                "Fjernvarme aconto",
                Utilities,
                6100.0,
                0.5,
                (1, 1),
                "83101500",
            ),
            item(
                "Vand og vandafledning",
                Utilities,
                1900.0,
                0.5,
                (1, 1),
                "83101500",
            ),
        ],
        name_words: &["Forsyning", "Energi", "Varmeværk", "Vandværk"],
        tail_share: 0.05,
        ..kind("utilities", &["351100", "353000", "360000"], ALL_AREAS)
    },
    Kind {
        recurring: true,
        items: &[
            item(
                "Rengøring iht. kontrakt",
                Cleaning,
                14500.0,
                0.4,
                (1, 1),
                "76111500",
            ),
            item("Vinduespolering", Cleaning, 1800.0, 0.3, (1, 1), "76111500"),
        ],
        name_words: &["Rengøring", "Service", "Facility", "Clean"],
        tail_share: 0.3,
        ..kind("cleaning", &["812100"], ALL_AREAS)
    },
    Kind {
        lines: (1, 6),
        items: &[
            item(
                "Håndsæbe 5 ltr",
                OtherGoods,
                149.0,
                0.2,
                (1, 10),
                "53131600",
            ),
            item("Gulvsæbe 5 ltr", OtherGoods, 169.0, 0.2, (1, 8), "47131800"),
            item(
                "Affaldssække 100 stk",
                OtherGoods,
                119.0,
                0.2,
                (1, 10),
                "47121700",
            ),
            item(
                "Engangshandsker nitril 100 stk",
                OtherGoods,
                59.0,
                0.2,
                (2, 40),
                "42132200",
            ),
            item(
                "Toiletpapir 64 rl",
                OtherGoods,
                329.0,
                0.15,
                (1, 10),
                "14111700",
            ),
        ],
        name_words: &["Hygiejne", "Rengøringsartikler", "Engros"],
        tail_share: 0.4,
        ..kind("cleaning_supplies", &["464400"], INSTITUTIONS)
    },
    Kind {
        lines: (1, 5),
        items: &[
            item("Arbejdsløn montør", Craft, 595.0, 0.1, (2, 60), "72101500"),
            item(
                "Materialer iflg. specifikation",
                Craft,
                3200.0,
                0.9,
                (1, 1),
                "30100000",
            ),
            item("Kørsel", Craft, 450.0, 0.1, (1, 6), "78111800"),
            item(
                "Udskiftning af blandingsbatteri",
                Craft,
                2400.0,
                0.3,
                (1, 3),
                "72102300",
            ),
            item(
                "Malerarbejde iflg. tilbud",
                Craft,
                18000.0,
                0.9,
                (1, 1),
                "72102300",
            ),
        ],
        name_words: &["VVS", "El-service", "Malerfirma", "Tømrer", "Murer", "Byg"],
        tail_share: 6.0,
        construction_from: Some(150_000.0),
        ..kind(
            "craftsmen",
            &["432100", "432200", "433400", "433200"],
            ALL_AREAS,
        )
    },
    Kind {
        lines: (1, 3),
        items: &[
            item(
                "Rådgivning iflg. aftale timer",
                Consulting,
                1250.0,
                0.2,
                (2, 80),
                "80101500",
            ),
            item(
                "Juridisk bistand sag",
                Consulting,
                1900.0,
                0.2,
                (1, 40),
                "80121700",
            ),
            item(
                "Revision årsregnskab",
                Consulting,
                65000.0,
                0.4,
                (1, 1),
                "84111600",
            ),
        ],
        name_words: &["Rådgivning", "Advokater", "Revision", "Consult", "Partners"],
        tail_share: 2.0,
        ..kind(
            "consultants",
            &["702200", "691000", "692000"],
            &[Administration, Social, Technical],
        )
    },
    Kind {
        vat: Vat::Exempt,
        recurring: true,
        cpr_in_text: true,
        items: &[
            item(
                "Ophold opholdssted",
                ServicesNoVat,
                48000.0,
                0.3,
                (1, 1),
                "85101500",
            ),
            item(
                "Aflastning døgn",
                ServicesNoVat,
                2900.0,
                0.3,
                (1, 12),
                "85101500",
            ),
            item(
                "Socialpædagogisk støtte timer",
                ServicesNoVat,
                560.0,
                0.2,
                (4, 80),
                "85101500",
            ),
        ],
        name_words: &[
            "Opholdssted",
            "Bosted",
            "Familiepleje",
            "Botilbud",
            "Gården",
        ],
        tail_share: 3.0,
        ..kind("social_care", &["879000", "873000"], &[Social])
    },
    Kind {
        vat: Vat::Exempt,
        lines: (1, 8),
        items: &[
            item(
                "Kørsel jf. kørselsliste",
                Transport,
                380.0,
                0.4,
                (1, 30),
                "78111800",
            ),
            item(
                "Skolekørsel rute",
                Transport,
                1450.0,
                0.3,
                (5, 22),
                "78111800",
            ),
            item("Flextur", Transport, 210.0, 0.3, (1, 40), "78111800"),
        ],
        name_words: &["Taxa", "Busser", "Kørsel", "Turist"],
        tail_share: 1.0,
        ..kind(
            "transport",
            &["493200", "493900"],
            &[Schools, ElderlyCare, Social],
        )
    },
    Kind {
        lines: (1, 10),
        items: &[
            item("Diesel", Fuel, 12.9, 0.1, (20, 400), "15101505"),
            item("Blyfri 95", Fuel, 13.5, 0.1, (15, 300), "15101506"),
            item("AdBlue 10 ltr", Fuel, 119.0, 0.15, (1, 4), "15121500"),
        ],
        name_words: &["Olie", "Brændstof", "Energi"],
        tail_share: 0.2,
        ..kind(
            "fuel",
            &["473000"],
            &[Technical, ElderlyCare, Administration],
        )
    },
    Kind {
        lines: (1, 8),
        items: &[
            item(
                "Inkontinensbleer str M 28 stk",
                Medicine,
                219.0,
                0.15,
                (5, 60),
                "53102300",
            ),
            item(
                "Forbindingsmaterialer",
                Medicine,
                450.0,
                0.3,
                (1, 10),
                "42311500",
            ),
            item("Kørestol let", Equipment, 6800.0, 0.2, (1, 2), "42211500"),
            item(
                "Sprøjter steril 100 stk",
                Medicine,
                89.0,
                0.2,
                (1, 10),
                "42142600",
            ),
        ],
        name_words: &["Medico", "Sygeplejeartikler", "Care", "Hjælpemidler"],
        tail_share: 0.5,
        ..kind("medical", &["464600"], &[ElderlyCare, Social])
    },
    Kind {
        lines: (1, 2),
        items: &[
            item(
                "Kursus deltagergebyr",
                Courses,
                4500.0,
                0.5,
                (1, 6),
                "86101700",
            ),
            item(
                "Temadag personale",
                Courses,
                18000.0,
                0.5,
                (1, 1),
                "86101700",
            ),
        ],
        name_words: &["Kursus", "Akademi", "Uddannelse", "Kompetence"],
        tail_share: 1.5,
        ..kind("courses", &["855900"], ALL_AREAS)
    },
    Kind {
        vat: Vat::Exempt,
        recurring: true,
        items: &[
            item("Husleje", Rent, 38000.0, 0.5, (1, 1), "80131500"),
            item("Leje af lokaler", Rent, 9500.0, 0.5, (1, 1), "80131500"),
        ],
        name_words: &["Ejendomme", "Udlejning", "Boligselskab"],
        tail_share: 0.3,
        ..kind("rent", &["682040"], &[Administration, Social, Daycare])
    },
    Kind {
        lines: (1, 4),
        items: &[
            item(
                "Tømning restaffald 660 ltr",
                OtherServices,
                165.0,
                0.2,
                (4, 30),
                "76121500",
            ),
            item(
                "Genbrug pap og papir",
                OtherServices,
                95.0,
                0.2,
                (2, 20),
                "76121900",
            ),
            item(
                "Containerleje",
                OtherServices,
                1200.0,
                0.3,
                (1, 3),
                "76121500",
            ),
        ],
        name_words: &["Affald", "Renovation", "Genbrug"],
        tail_share: 0.1,
        ..kind("waste", &["381100"], ALL_AREAS)
    },
    Kind {
        vat: Vat::Exempt,
        items: &[
            item(
                "Mellemkommunal refusion",
                Municipal,
                42000.0,
                0.8,
                (1, 1),
                "93151500",
            ),
            item(
                "Betaling for skolegang",
                Municipal,
                18000.0,
                0.6,
                (1, 1),
                "93151500",
            ),
        ],
        name_words: &["Kommune"],
        tail_share: 0.3,
        ..kind("municipality", &["841100"], &[Social, Schools])
    },
    Kind {
        lines: (1, 4),
        items: &[
            item("Græsslåning", Craft, 3800.0, 0.4, (1, 4), "70111700"),
            item(
                "Snerydning og saltning",
                Craft,
                5200.0,
                0.5,
                (1, 6),
                "72102900",
            ),
            item("Beskæring af træer", Craft, 7400.0, 0.5, (1, 2), "70111600"),
            item(
                "Vejreparation asfalt",
                Craft,
                42000.0,
                0.8,
                (1, 1),
                "72141100",
            ),
        ],
        name_words: &["Anlæg", "Entreprenør", "Park", "Vej"],
        tail_share: 0.8,
        construction_from: Some(150_000.0),
        ..kind("grounds", &["813000", "421100"], &[Technical])
    },
    Kind {
        lines: (1, 6),
        items: &[
            item(
                "Legetøj klodser sæt",
                OtherGoods,
                399.0,
                0.3,
                (1, 6),
                "60141000",
            ),
            item(
                "Udendørs legeredskab",
                OtherGoods,
                24000.0,
                0.4,
                (1, 1),
                "60141000",
            ),
            item(
                "Sandkassesand big bag",
                OtherGoods,
                890.0,
                0.2,
                (1, 4),
                "60141000",
            ),
            item(
                "Hobbymaterialer",
                OtherGoods,
                240.0,
                0.4,
                (1, 10),
                "60121000",
            ),
        ],
        name_words: &["Leg", "Legetøj", "Børneinventar", "Hobby"],
        tail_share: 0.6,
        equipment_from: Some(5000.0),
        ..kind("toys", &["464900"], &[Daycare, Schools])
    },
    Kind {
        vat: Vat::ReverseCharge,
        lines: (1, 2),
        items: &[
            item(
                "Cloud subscription annual",
                ItTelecom,
                56000.0,
                0.6,
                (1, 1),
                "43232300",
            ),
            item(
                "Software licence",
                ItTelecom,
                9800.0,
                0.6,
                (1, 20),
                "43232300",
            ),
        ],
        name_words: &["Software Ltd", "Cloud BV", "Systems GmbH"],
        tail_share: 0.2,
        ..kind("foreign_it", &["620100"], &[Administration, Schools])
    },
];

impl Kind {
    /// Whether this kind's suppliers are foreign and carry no Danish CVR.
    pub(crate) fn is_foreign(&self) -> bool {
        self.vat == Vat::ReverseCharge
    }
}

/// Index of a kind by name; the names are fixed above, so a miss is a bug in this file.
pub(crate) fn kind_index(name: &str) -> usize {
    KINDS
        .iter()
        .position(|k| k.name == name)
        .unwrap_or_else(|| panic!("no supplier kind named {name}"))
}
