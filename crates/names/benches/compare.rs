//! Pair comparison on realistic 2–5 part names, mixed scripts.
//! Run: `cargo bench -p names --bench compare`.

use names::{compare, parse, Name, NameKind};

fn main() {
    divan::main();
}

/// Realistic pairs: same person in two spellings, and near misses.
const PAIRS: &[(&str, &str)] = &[
    ("Abdellatif Hammouchi", "عبد اللطيف الحموشي"),
    ("Abd al-Latif al-Hamushi", "Abdellatif Hammoumi"),
    ("Mohamed Ould Ahmed Salem", "محمد ولد احمد سالم"),
    ("Noureddine Ben Ali Ben Belkassem Drissi", "Nour Eddine Ben Ali Belkacem El Drissi"),
    ("Saddam Hussein al-Tikriti", "SADDAM HUSSEIN AL-DULAIMI"),
    ("Usama bin Muhammad bin Awad bin Ladin", "Osama bin Laden"),
    ("Yahya Hammouda", "يحيى حمودة"),
    ("Sergey Viktorovich Lavrov", "Сергей Викторович Лавров"),
    ("Fatima Zahra Benali", "Fatma Zohra Ben Ali"),
    ("Abu Bakr al-Baghdadi", "Ibrahim Awad Ibrahim al-Badri"),
];

fn parsed() -> Vec<(Name, Name)> {
    PAIRS
        .iter()
        .map(|(a, b)| {
            (
                parse(a, NameKind::Person).unwrap_or_else(|e| panic!("{a}: {e}")),
                parse(b, NameKind::Person).unwrap_or_else(|e| panic!("{b}: {e}")),
            )
        })
        .collect()
}

/// Score two parsed names (the screening hot path: names are parsed once, and
/// the explanation is built only for reported hits).
#[divan::bench(sample_count = 2000, sample_size = 20)]
fn score_parsed(bencher: divan::Bencher) {
    let pairs = parsed();
    let mut i = 0;
    bencher.bench_local(|| {
        let (a, b) = &pairs[i % pairs.len()];
        i += 1;
        divan::black_box(names::score(divan::black_box(a), divan::black_box(b)))
    });
}

/// Compare two parsed names, with the explanation.
#[divan::bench(sample_count = 2000, sample_size = 20)]
fn compare_parsed(bencher: divan::Bencher) {
    let pairs = parsed();
    let mut i = 0;
    bencher.bench_local(|| {
        let (a, b) = &pairs[i % pairs.len()];
        i += 1;
        divan::black_box(compare(divan::black_box(a), divan::black_box(b)).score)
    });
}

/// Parse both raw names and compare them (what `liaison match` does per pair).
#[divan::bench(sample_count = 2000, sample_size = 20)]
fn parse_and_compare(bencher: divan::Bencher) {
    let mut i = 0;
    bencher.bench_local(|| {
        let (a, b) = PAIRS[i % PAIRS.len()];
        i += 1;
        divan::black_box(
            names::match_names(divan::black_box(a), divan::black_box(b), NameKind::Person).map(|c| c.score),
        )
    });
}
