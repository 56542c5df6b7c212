//! Any bytes, split into two names: normalise both, parse, compare both ways.
//! Checks: no panic, idempotent normalisation, a score in [0, 1], symmetry.
#![no_main]

use libfuzzer_sys::fuzz_target;
use names::{compare, normalise, parse, NameKind};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (a, b) = text.split_once('\u{1}').unwrap_or((text, text));
    for raw in [a, b] {
        if let Ok(n) = normalise(raw) {
            assert_eq!(normalise(&n).ok().as_deref(), Some(n.as_str()), "normalise is not idempotent on {raw:?}");
        }
    }
    for kind in [NameKind::Person, NameKind::Organization] {
        if let (Ok(x), Ok(y)) = (parse(a, kind), parse(b, kind)) {
            let (s1, s2) = (compare(&x, &y).score, compare(&y, &x).score);
            assert!((0.0..=1.0).contains(&s1), "score {s1} out of range");
            assert!((s1 - s2).abs() < 1e-4, "not symmetric: {s1} vs {s2} for {a:?} / {b:?}");
        }
    }
});
