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

/// Family names and nisbas: Arabic, then Latin spellings.
pub const FAMILY: &[(&str, &[&str])] = &[
    ("الحموشي", &["Hammouchi", "al-Hamushi", "El Hammouchi"]),
    ("الحمومي", &["Hammoumi", "al-Hamumi"]),
    ("بن علي", &["Benali", "Ben Ali", "Bin Ali"]),
    ("بن صالح", &["Bensalah", "Ben Salah", "bin Salih"]),
    ("الإدريسي", &["El Idrissi", "Drissi", "al-Idrisi"]),
    ("العلوي", &["Alaoui", "El Alaoui", "al-Alawi"]),
    ("الفاسي", &["El Fassi", "al-Fasi", "Fassi"]),
    ("التونسي", &["Tounsi", "al-Tunisi"]),
    ("القاسمي", &["Kacimi", "Gasmi", "al-Qasimi"]),
    ("الشريف", &["Cherif", "al-Sharif", "Chérif"]),
    ("بوعزة", &["Bouazza", "Abu Azza"]),
    ("بوتفليقة", &["Bouteflika", "Butaflika"]),
    ("بلقاسم", &["Belkacem", "Belgacem", "Bilqasim"]),
    ("بن يوسف", &["Benyoucef", "Ben Youssef", "bin Yusuf"]),
    ("الزهراني", &["al-Zahrani", "Zahrani", "Ezzahrani"]),
    ("الغامدي", &["al-Ghamdi", "Ghamdi", "El Ghamdi"]),
    ("الشمري", &["al-Shammari", "Chammari", "Shamri"]),
    ("الدوسري", &["al-Dosari", "Dossari", "Aldawsari"]),
    ("العتيبي", &["al-Otaibi", "Otaibi", "Oteibi"]),
    ("الحربي", &["al-Harbi", "Harbi"]),
    ("المصري", &["al-Masri", "El Masry", "Masri"]),
    ("السوداني", &["al-Sudani", "Soudani"]),
    ("الموصلي", &["al-Mosuli", "Mousli"]),
    ("التكريتي", &["al-Tikriti", "Tikriti"]),
    ("الدليمي", &["al-Dulaimi", "Dulaimi", "Dleimi"]),
    ("الجبوري", &["al-Jubouri", "Jbouri", "Joubouri"]),
    ("حداد", &["Haddad", "Hadad"]),
    ("نجار", &["Najjar", "Neggar", "Nadjar"]),
    ("خوري", &["Khoury", "Khouri", "Khuri"]),
    ("صباغ", &["Sabbagh", "Sebbagh"]),
    ("عطار", &["Attar", "Al Attar"]),
    ("قاسم", &["Kassem", "Qasim", "Gacem"]),
    ("منصور", &["Mansour", "Mansur"]),
    ("عيسى", &["Aissa", "Issa", "Isa"]),
    ("موسى", &["Moussa", "Musa", "Mousa"]),
    ("سليمان", &["Slimane", "Sulayman", "Souleimane"]),
    ("شعبان", &["Chaabane", "Shaaban", "Chaban"]),
    ("رمضان", &["Ramdane", "Ramadan", "Ramadhan"]),
    ("بوزيد", &["Bouzid", "Abu Zaid"]),
    ("مقران", &["Mokrane", "Muqran"]),
    ("بن عمر", &["Benamor", "Ben Omar", "bin Umar"]),
    ("العمراني", &["Amrani", "El Amrani", "al-Imrani"]),
    ("الوزاني", &["Ouazzani", "El Ouazzani", "al-Wazzani"]),
    ("التازي", &["Tazi", "El Tazi"]),
    ("بنكيران", &["Benkirane", "Ben Kiran"]),
    ("الخطيب", &["El Khatib", "al-Khatib", "Khatib"]),
    ("النقيب", &["Nakib", "al-Naqib", "Naqeeb"]),
    ("البغدادي", &["al-Baghdadi", "Baghdadi"]),
    ("الحلبي", &["al-Halabi", "Halabi"]),
    ("الدمشقي", &["al-Dimashqi", "Dimachki"]),
];

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

/// One generated person: which given and family name, and in which script.
#[derive(Clone, Copy)]
pub struct Person {
    /// Index into [`GIVEN`].
    pub given: usize,
    /// Index into [`FAMILY`].
    pub family: usize,
    /// Index of the father's given name (a nasab "bin X" on some entries).
    pub father: usize,
    /// Whether the entry is on file in Arabic script.
    pub arabic: bool,
    /// Whether the entry carries the father's name.
    pub with_father: bool,
}

/// Draw a person.
pub fn person(rng: &mut Rng) -> Person {
    Person {
        given: rng.below(GIVEN.len()),
        family: rng.below(FAMILY.len()),
        father: rng.below(GIVEN.len()),
        arabic: rng.below(10) < 4,
        with_father: rng.below(10) < 3,
    }
}

/// The name on file for a person.
pub fn file_name(p: &Person, rng: &mut Rng) -> String {
    let (ga, gl) = GIVEN[p.given];
    let (fa, fl) = FAMILY[p.family];
    let (pa, pl) = GIVEN[p.father];
    match (p.arabic, p.with_father) {
        (true, true) => format!("{ga} بن {pa} {fa}"),
        (true, false) => format!("{ga} {fa}"),
        (false, true) => format!("{} ben {} {}", rng.pick(gl), rng.pick(pl), rng.pick(fl)),
        (false, false) => format!("{} {}", rng.pick(gl), rng.pick(fl)),
    }
}

/// Another spelling of the same person, as a border officer might type it:
/// Latin when the file is Arabic, and Arabic or another Latin spelling otherwise.
pub fn query_name(p: &Person, rng: &mut Rng) -> String {
    let (ga, gl) = GIVEN[p.given];
    let (fa, fl) = FAMILY[p.family];
    if !p.arabic && rng.below(2) == 0 {
        format!("{ga} {fa}")
    } else {
        format!("{} {}", rng.pick(gl), rng.pick(fl))
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
