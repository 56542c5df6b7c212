//! The `liaison` binary end to end: the batch contracts of `match` and `screen`
//! (JSON lines and CSV), and bad input reported with file, line and field.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_liaison"))
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("liaison-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir.join(name)
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn run(args: &[&str]) -> Output {
    Command::new(bin()).args(args).output().unwrap_or_else(|e| panic!("{e}"))
}

/// Screen `q` against `w` into `r` with the default options.
fn screen(w: &Path, q: &Path, r: &Path) -> Output {
    let path = |p: &Path| p.to_str().unwrap_or("").to_string();
    run(&["screen", "--watchlist", &path(w), "--input", &path(q), "--output", &path(r)])
}

fn lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{e}"))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

#[test]
fn match_batch_follows_the_contract() {
    let (input, output) = (tmp("pairs.jsonl"), tmp("scores.jsonl"));
    write(
        &input,
        concat!(
            r#"{"id": "1", "a": "Abdellatif Hammouchi", "b": "عبد اللطيف الحموشي", "kind": "person"}"#,
            "\n",
            r#"{"id": "2", "a": "Abdellatif Hammouchi", "b": "Abdellatif Hammoumi", "kind": "person"}"#,
            "\n",
            r#"{"id": "3", "a": "Siemens AG", "b": "Siemens Aktiengesellschaft", "kind": "organization"}"#,
            "\n"
        ),
    );
    let out = run(&["match", "--input", input.to_str().unwrap_or(""), "--output", output.to_str().unwrap_or("")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let got = lines(&output);
    assert_eq!(got.len(), 3);
    assert_eq!(got[0]["id"], "1");
    assert_eq!(got[0]["match"], true);
    assert_eq!(got[1]["match"], false);
    assert_eq!(got[2]["match"], true);
    for g in &got {
        let s = g["score"].as_f64().unwrap_or(-1.0);
        assert!((0.0..=1.0).contains(&s), "{g}");
    }
}

#[test]
fn match_two_names_explains() {
    let out = run(&["match", "Abdellatif Hammouchi", "Abd al-Latif al-Hamushi"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(text.contains("MATCH"), "{text}");
    assert!(text.contains("aligned   hammouchi"), "{text}");
}

#[test]
fn screen_batch_follows_the_contract_with_jsonl_and_csv() {
    let (w, q, r, st) = (tmp("w.jsonl"), tmp("q.csv"), tmp("r.jsonl"), tmp("stats.json"));
    write(
        &w,
        concat!(
            r#"{"id": "anr:1", "names": ["عبد اللطيف حموشي"], "dob": ["1966"], "countries": ["MA"]}"#,
            "\n",
            r#"{"id": "anr:2", "names": ["Abdellatif Hammoumi"]}"#,
            "\n",
            r#"{"id": "anr:3", "names": ["Yahya Hammouda"], "documents": ["DZ1029384"]}"#,
            "\n"
        ),
    );
    write(&q, "id,name,dob,document\nq1,Abdellatif Hammouchi,,\nq2,Jean Dupont,,DZ-1029384\nq3,Zinedine Zidane,,\n");
    let out = run(&[
        "screen",
        "--watchlist",
        w.to_str().unwrap_or(""),
        "--input",
        q.to_str().unwrap_or(""),
        "--output",
        r.to_str().unwrap_or(""),
        "--limit",
        "5",
        "--stats",
        st.to_str().unwrap_or(""),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let got = lines(&r);
    let ids: Vec<Vec<&str>> = got
        .iter()
        .map(|g| g["hits"].as_array().map_or(vec![], |h| h.iter().filter_map(|x| x["id"].as_str()).collect()))
        .collect();
    assert_eq!(got[0]["id"], "q1");
    assert_eq!(ids[0], vec!["anr:1"]);
    assert_eq!(ids[1], vec!["anr:3"]);
    assert!(ids[2].is_empty());
    let stats: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&st).unwrap_or_default()).unwrap_or(serde_json::Value::Null);
    for k in ["entries", "names", "build_s", "queries", "query_s", "p50_ms", "p99_ms"] {
        assert!(stats.get(k).is_some(), "stats lack {k}: {stats}");
    }
}

#[test]
fn a_bad_watchlist_line_names_file_line_and_field() {
    let (w, q, r) = (tmp("bad.jsonl"), tmp("q.jsonl"), tmp("r2.jsonl"));
    write(&q, "{\"id\": \"q1\", \"name\": \"Ali\"}\n");
    let cases = [
        ("{\"id\": \"a\", \"names\": [\"Ali\"]}\n{\"names\": [\"Omar\"]}\n", ":2:", "\"id\""),
        (
            "{\"id\": \"a\", \"names\": [\"Ali\"]}\n\n{\"id\": \"b\", \"names\": [\"Ali\"], \"dob\": [\"1970-13\"]}\n",
            ":3:",
            "\"dob\"[0]",
        ),
        ("{\"id\": \"a\", \"names\": [7]}\n", ":1:", "\"names\"[0]"),
        ("{\"id\": \"a\", \"names\": [\"--\"]}\n", ":1:", "\"names\"[0]"),
        ("{\"id\": \"a\", \"names\": [\"Ali\"]\n", ":1:", "not valid JSON"),
    ];
    for (text, line, field) in cases {
        write(&w, text);
        let out = screen(&w, &q, &r);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "accepted {text:?}");
        assert!(err.contains("bad.jsonl") && err.contains(line) && err.contains(field), "{text:?} gave: {err}");
    }
}

#[test]
fn a_bad_csv_query_names_file_line_and_field() {
    let (w, q, r) = (tmp("w2.jsonl"), tmp("badq.csv"), tmp("r3.jsonl"));
    write(&w, "{\"id\": \"a\", \"names\": [\"Ali\"]}\n");
    write(&q, "id,name,dob\nq1,Ali,1970\nq2,Omar,not-a-date\n");
    let out = screen(&w, &q, &r);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("badq.csv:3") && err.contains("dob"), "{err}");
}
