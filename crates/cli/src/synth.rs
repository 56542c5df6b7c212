//! Synthetic watchlists and queries, from name-part tables written by this
//! project: Arabic given and family names, each with Latin spellings in the
//! Maghreb (French) and Mashreq (English) styles. Used by `liaison bench` and
//! `liaison demo`; anyone can reproduce the figures without `../shared`.
//!
//! Deterministic: the same seed gives the same watchlist and queries.

/// Given names: Arabic, then Latin spellings.
pub const GIVEN: &[(&str, &[&str])] = &[
    ("محمد", &["Mohamed", "Mohammed", "Muhammad", "Mohammad", "Mhamed"]),
    ("أحمد", &["Ahmed", "Ahmad", "Hmed"]),
    ("عبد اللطيف", &["Abdellatif", "Abd al-Latif", "Abdul Latif", "Abdelatif"]),
    ("عبد الرحمن", &["Abderrahmane", "Abd al-Rahman", "Abdulrahman", "Abdurrahman"]),
    ("عبد الله", &["Abdallah", "Abdullah", "Abdellah", "Abdulla"]),
    ("عبد العزيز", &["Abdelaziz", "Abd al-Aziz", "Abdulaziz"]),
    ("نور الدين", &["Noureddine", "Nur al-Din", "Nour Eddine", "Nuruddin"]),
    ("صلاح الدين", &["Salaheddine", "Salah al-Din", "Salahuddin"]),
    ("يوسف", &["Youssef", "Yusuf", "Youcef", "Yousef"]),
    ("إبراهيم", &["Ibrahim", "Brahim", "Ebrahim"]),
    ("مصطفى", &["Mustafa", "Moustafa", "Mostefa", "Mustapha"]),
    ("خالد", &["Khaled", "Khalid"]),
    ("عمر", &["Omar", "Umar", "Omer"]),
    ("علي", &["Ali", "Aly"]),
    ("حسن", &["Hassan", "Hasan", "Hacen"]),
    ("حسين", &["Hussein", "Husayn", "Houcine", "Hussain"]),
    ("سعيد", &["Said", "Saeed", "Saïd"]),
    ("رشيد", &["Rachid", "Rashid", "Rasheed"]),
    ("جمال", &["Djamel", "Jamal", "Gamal"]),
    ("هشام", &["Hichem", "Hisham", "Hicham"]),
    ("كمال", &["Kamel", "Kamal"]),
    ("عثمان", &["Othmane", "Osman", "Uthman", "Athmane"]),
    ("طارق", &["Tarek", "Tariq", "Tarik"]),
    ("وليد", &["Walid", "Oualid", "Waleed"]),
    ("سمير", &["Samir", "Sameer"]),
    ("كريم", &["Karim", "Kareem"]),
    ("نبيل", &["Nabil", "Nabeel"]),
    ("عادل", &["Adel", "Adil"]),
    ("فؤاد", &["Fouad", "Fuad"]),
    ("منير", &["Mounir", "Munir"]),
    ("فاطمة", &["Fatima", "Fatma", "Fatiha"]),
    ("عائشة", &["Aicha", "Aisha", "Ayesha"]),
    ("خديجة", &["Khadija", "Khadidja", "Khadeeja"]),
    ("مريم", &["Meriem", "Maryam", "Mariam"]),
    ("زينب", &["Zineb", "Zaynab", "Zeinab"]),
    ("سعاد", &["Souad", "Suad"]),
    ("نادية", &["Nadia", "Nadiya"]),
    ("ليلى", &["Leila", "Layla", "Leyla"]),
    ("أمينة", &["Amina", "Aminah"]),
    ("حليمة", &["Halima", "Haleema"]),
];

/// Roots of composed family names: Arabic, then Latin spellings.
pub const ROOTS: &[(&str, &[&str])] = &[
    ("حموش", &["Hammouch", "Hamush", "Hamouch"]),
    ("قاسم", &["Kacem", "Qasim", "Gacem"]),
    ("حداد", &["Haddad", "Hadad"]),
    ("نجار", &["Najjar", "Neggar", "Nadjar"]),
    ("خطيب", &["Khatib", "Khateeb"]),
    ("شريف", &["Cherif", "Sharif", "Chrif"]),
    ("منصور", &["Mansour", "Mansur"]),
    ("سالم", &["Salem", "Salim"]),
    ("رشيد", &["Rachid", "Rashid"]),
    ("عطار", &["Attar", "Atar"]),
    ("كريم", &["Karim", "Kareem"]),
    ("حكيم", &["Hakim", "Hakeem"]),
    ("عباس", &["Abbas", "Abes"]),
    ("إدريس", &["Idris", "Driss", "Idriss"]),
    ("زيد", &["Zaid", "Zeid", "Zayd"]),
    ("مراد", &["Mourad", "Murad"]),
    ("طاهر", &["Tahar", "Taher", "Tahir"]),
    ("جابر", &["Jaber", "Djaber", "Gaber"]),
    ("فارس", &["Fares", "Faris"]),
    ("ناصر", &["Nasser", "Nacer", "Nasir"]),
    ("قادر", &["Kader", "Qadir"]),
    ("عزيز", &["Aziz", "Azize"]),
    ("حميد", &["Hamid", "Hameed"]),
    ("مجيد", &["Majid", "Madjid", "Magid"]),
    ("شاكر", &["Chaker", "Shakir"]),
    ("صابر", &["Saber", "Sabir"]),
    ("عامر", &["Amer", "Amir"]),
    ("بشير", &["Bachir", "Bashir", "Bechir"]),
    ("مختار", &["Mokhtar", "Mukhtar"]),
    ("زروق", &["Zerrouk", "Zarruq"]),
    ("غالب", &["Ghaleb", "Ghalib"]),
    ("خليف", &["Khelif", "Khalif"]),
    ("مزيان", &["Meziane", "Mazyan"]),
    ("بلال", &["Bilal", "Belal"]),
    ("جلول", &["Djelloul", "Jallul"]),
    ("سليمان", &["Slimane", "Sulayman"]),
    ("عيسى", &["Aissa", "Issa"]),
    ("قدور", &["Kaddour", "Qaddur"]),
    ("رحال", &["Rahal", "Rahhal"]),
    ("وهاب", &["Ouahab", "Wahhab"]),
];

/// Prefixes of composed family names: Arabic, Latin spellings, and whether the
/// name may also take the nisba suffix.
pub const PREFIXES: &[(&str, &[&str])] = &[
    ("", &[""]),
    ("ال", &["al-", "El ", "El-"]),
    ("بن ", &["Ben ", "Bin ", "Ben"]),
    ("بو", &["Bou", "Abu "]),
    ("ولد ", &["Ould "]),
];

/// A composed family name: prefix, root, and perhaps the nisba -i (ي).
#[derive(Clone, Copy)]
pub struct Family {
    /// Index into [`PREFIXES`].
    pub prefix: usize,
    /// Index into [`ROOTS`].
    pub root: usize,
    /// With the nisba suffix ي / -i.
    pub nisba: bool,
}

impl Family {
    /// The family name in Arabic script.
    pub fn arabic(&self) -> String {
        let (p, _) = PREFIXES[self.prefix];
        let (r, _) = ROOTS[self.root];
        format!("{p}{r}{}", if self.nisba { "ي" } else { "" })
    }

    /// One Latin spelling.
    pub fn latin(&self, rng: &mut Rng) -> String {
        let (_, ps) = PREFIXES[self.prefix];
        let (_, rs) = ROOTS[self.root];
        let root = rng.pick(rs);
        let p = rng.pick(ps);
        // "Ben" + root joins without a space: lower-case the root
        let root = if p.ends_with(|c: char| c.is_alphabetic()) { root.to_lowercase() } else { root.to_string() };
        format!("{p}{root}{}", if self.nisba { "i" } else { "" })
    }
}

/// Nationalities of the generated entries.
pub const COUNTRIES: &[&str] =
    &["MA", "DZ", "TN", "LY", "EG", "SD", "MR", "SA", "AE", "QA", "IQ", "SY", "LB", "JO", "YE"];

/// A small deterministic generator (SplitMix64), so figures reproduce exactly.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// Pick one element.
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// One generated person: which given names and family, and in which script.
#[derive(Clone, Copy)]
pub struct Person {
    /// Index into [`GIVEN`].
    pub given: usize,
    /// The family name.
    pub family: Family,
    /// Index of the father's given name (a nasab "bin X" on some entries).
    pub father: usize,
    /// Whether the entry is on file in Arabic script.
    pub arabic: bool,
    /// Whether the entry carries the father's name.
    pub with_father: bool,
}

impl Person {
    /// What identifies the name as typed at a border (given name and family;
    /// the father's name is often left out), for judging a hit.
    pub fn identity(&self) -> (usize, usize, usize, bool) {
        (self.given, self.family.prefix, self.family.root, self.family.nisba)
    }
}

/// Draw a person.
pub fn person(rng: &mut Rng) -> Person {
    Person {
        given: rng.below(GIVEN.len()),
        family: Family { prefix: rng.below(PREFIXES.len()), root: rng.below(ROOTS.len()), nisba: rng.below(3) == 0 },
        father: rng.below(GIVEN.len()),
        arabic: rng.below(10) < 4,
        with_father: rng.below(10) < 5,
    }
}

/// The name on file for a person.
pub fn file_name(p: &Person, rng: &mut Rng) -> String {
    let (ga, gl) = GIVEN[p.given];
    let (pa, pl) = GIVEN[p.father];
    match (p.arabic, p.with_father) {
        (true, true) => format!("{ga} بن {pa} {}", p.family.arabic()),
        (true, false) => format!("{ga} {}", p.family.arabic()),
        (false, true) => format!("{} ben {} {}", rng.pick(gl), rng.pick(pl), p.family.latin(rng)),
        (false, false) => format!("{} {}", rng.pick(gl), p.family.latin(rng)),
    }
}

/// Another spelling of the same person, as a border officer might type it:
/// Latin when the file is Arabic, and Arabic or another Latin spelling
/// otherwise; the father's name is left out half the time.
pub fn query_name(p: &Person, rng: &mut Rng) -> String {
    let (ga, gl) = GIVEN[p.given];
    let (pa, pl) = GIVEN[p.father];
    let father = p.with_father && rng.below(2) == 0;
    if !p.arabic && rng.below(2) == 0 {
        if father {
            format!("{ga} بن {pa} {}", p.family.arabic())
        } else {
            format!("{ga} {}", p.family.arabic())
        }
    } else if father {
        format!("{} bin {} {}", rng.pick(gl), rng.pick(pl), p.family.latin(rng))
    } else {
        format!("{} {}", rng.pick(gl), p.family.latin(rng))
    }
}

/// A date of birth as "YYYY-MM-DD" (sometimes only "YYYY", as lists hold them).
pub fn dob(rng: &mut Rng) -> String {
    let y = 1940 + rng.below(66);
    if rng.below(5) == 0 {
        format!("{y}")
    } else {
        format!("{y}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28))
    }
}

/// A generated notice of one of the person and document types, owned by
/// `owner`, with its name on file in Arabic or Latin script and, on Arabic
/// files, a Latin spelling beside it; `i` makes its source reference unique;
/// family roots (indexes into [`ROOTS`]) in `exclude` are not drawn.
pub fn notice(rng: &mut Rng, i: usize, owner: &model::AgencyCode, exclude: &[usize]) -> model::UncheckedNotice {
    use model::*;
    let mut p = person(rng);
    while exclude.contains(&p.family.root) {
        p = person(rng);
    }
    let mut names = vec![NameRecord {
        name: file_name(&p, rng),
        script: Some(if p.arabic { "Arab" } else { "Latn" }.into()),
        original: true,
    }];
    if p.arabic && rng.below(2) == 0 {
        let (_, gl) = GIVEN[p.given];
        names.push(NameRecord {
            name: format!("{} {}", rng.pick(gl), p.family.latin(rng)),
            script: Some("Latn".into()),
            original: false,
        });
    }
    let number = format!("{}{:07}", rng.pick(COUNTRIES), rng.below(10_000_000));
    let kind = match rng.below(10) {
        0..=3 => NoticeType::WantedPerson,
        4..=5 => NoticeType::MissingPerson,
        6 => NoticeType::PersonWarning,
        7..=8 => NoticeType::SanctionsListing,
        _ => NoticeType::TravelDocument,
    };
    let person = PersonParticulars {
        names,
        dobs: vec![dob(rng)],
        nationalities: vec![rng.pick(COUNTRIES).to_string()],
        sex: Some(if p.given >= 30 { Sex::F } else { Sex::M }),
        documents: vec![DocumentParticulars {
            number: number.clone(),
            kind: "passport".into(),
            country: rng.pick(COUNTRIES).to_string(),
            holder: None,
        }],
        description: String::new(),
        photo_ref: None,
    };
    let title = person.names[0].name.clone();
    let (judicial, warnings, action) = match kind {
        NoticeType::WantedPerson => (
            Some(Judicial {
                offence: ["armed robbery", "drug trafficking", "fraud", "homicide"][rng.below(4)].into(),
                law: "Penal Code".into(),
                max_penalty: format!("{} years", 5 + rng.below(25)),
                warrant_ref: format!("W-{i}"),
                warrant_authority: "Investigating judge".into(),
                facts: "Generated for the demo and benchmarks.".into(),
            }),
            if rng.below(4) == 0 { vec![Warning::Armed, Warning::Violent] } else { vec![] },
            "Arrest with a view to extradition; contact the owning agency at once".to_string(),
        ),
        NoticeType::MissingPerson => (None, vec![Warning::Victim], "Locate and inform the owning agency".into()),
        _ => (None, vec![], "Verify identity and inform the owning agency at once".into()),
    };
    let document = (kind == NoticeType::TravelDocument).then(|| DocumentParticulars {
        number,
        kind: "passport".into(),
        country: owner.as_str().chars().take(2).collect(),
        holder: Some(title.clone()),
    });
    UncheckedNotice {
        kind,
        owner: owner.clone(),
        title,
        person: (kind != NoticeType::TravelDocument).then_some(person),
        document,
        judicial,
        summary: String::new(),
        warnings,
        action,
        distribution: Distribution::All,
        tlp: [Tlp::Clear, Tlp::Green, Tlp::Amber][rng.below(3)],
        handling: Handling::H0,
        review_days: 365,
        source_ref: Some(format!("gen:{i}")),
    }
}
