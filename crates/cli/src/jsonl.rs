//! Reading JSON-lines and CSV input with errors that name the file, line and field.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use anyhow::{bail, Context, Result};

/// Most bytes accepted in one input line.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// Read every non-blank line of a JSON-lines file as a `serde_json::Value`
/// object, with its 1-based line number (see [`for_each_chunk`] for large files).
pub fn read_objects(path: &Path) -> Result<Vec<(usize, serde_json::Map<String, serde_json::Value>)>> {
    let mut out = Vec::new();
    for_each_chunk(path, |chunk| {
        out.extend(chunk);
        Ok(())
    })?;
    Ok(out)
}

/// A required string field.
pub fn string_field(
    path: &Path,
    lineno: usize,
    m: &serde_json::Map<String, serde_json::Value>,
    field: &str,
) -> Result<String> {
    match m.get(field) {
        Some(serde_json::Value::String(s)) => Ok(s.clone()),
        Some(serde_json::Value::Number(n)) => Ok(n.to_string()),
        Some(_) => bail!("{}:{lineno}: field \"{field}\" must be a string", path.display()),
        None => bail!("{}:{lineno}: field \"{field}\" is missing", path.display()),
    }
}

/// An optional field that holds a string or a list of strings.
pub fn string_list(
    path: &Path,
    lineno: usize,
    m: &serde_json::Map<String, serde_json::Value>,
    field: &str,
) -> Result<Vec<String>> {
    match m.get(field) {
        None | Some(serde_json::Value::Null) => Ok(Vec::new()),
        Some(serde_json::Value::String(s)) => Ok(vec![s.clone()]),
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => Ok(s.clone()),
                _ => bail!("{}:{lineno}: field \"{field}\"[{k}] must be a string", path.display()),
            })
            .collect(),
        Some(_) => bail!("{}:{lineno}: field \"{field}\" must be a string or a list of strings", path.display()),
    }
}

/// Lines read and parsed together by [`for_each_chunk`].
pub const CHUNK_LINES: usize = 65_536;

/// Stream a JSON-lines file in chunks of [`CHUNK_LINES`] objects, so that a
/// large file is never held in memory as JSON; `f` gets each chunk with the
/// 1-based line numbers.
pub fn for_each_chunk(
    path: &Path,
    mut f: impl FnMut(Vec<(usize, serde_json::Map<String, serde_json::Value>)>) -> Result<()>,
) -> Result<()> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut lines: Vec<(usize, String)> = Vec::with_capacity(CHUNK_LINES);
    let mut flush = |lines: &mut Vec<(usize, String)>| -> Result<()> {
        use rayon::prelude::*;
        let objs = lines
            .par_drain(..)
            .map(|(lineno, line)| parse_object(path, lineno, &line).map(|m| (lineno, m)))
            .collect::<Result<Vec<_>>>()?;
        f(objs)
    };
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let lineno = i + 1;
        let line = line.with_context(|| format!("{}:{lineno}: cannot read line (not UTF-8?)", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        if line.len() > MAX_LINE_BYTES {
            bail!("{}:{lineno}: line has {} bytes; at most {MAX_LINE_BYTES} are accepted", path.display(), line.len());
        }
        lines.push((lineno, line));
        if lines.len() == CHUNK_LINES {
            flush(&mut lines)?;
        }
    }
    if !lines.is_empty() {
        flush(&mut lines)?;
    }
    Ok(())
}

fn parse_object(path: &Path, lineno: usize, line: &str) -> Result<serde_json::Map<String, serde_json::Value>> {
    let v: serde_json::Value =
        serde_json::from_str(line).with_context(|| format!("{}:{lineno}: not valid JSON", path.display()))?;
    match v {
        serde_json::Value::Object(m) => Ok(m),
        _ => bail!("{}:{lineno}: expected a JSON object", path.display()),
    }
}

/// Whether a path names a CSV file (by extension).
pub fn is_csv(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// Read a CSV file with a header into JSON-like objects, so that one code path
/// validates both formats. Multi-valued columns separate values with `;`.
pub fn read_csv_objects(
    path: &Path,
    multi: &[&str],
) -> Result<Vec<(usize, serde_json::Map<String, serde_json::Value>)>> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    let headers = rdr.headers().with_context(|| format!("{}:1: cannot read the header", path.display()))?.clone();
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let lineno = i + 2;
        let rec = rec.with_context(|| format!("{}:{lineno}: malformed CSV record", path.display()))?;
        let mut m = serde_json::Map::new();
        for (h, v) in headers.iter().zip(rec.iter()) {
            if v.is_empty() {
                continue;
            }
            if v.len() > MAX_LINE_BYTES {
                bail!("{}:{lineno}: field \"{h}\" is longer than {MAX_LINE_BYTES} bytes", path.display());
            }
            let val = if multi.contains(&h) {
                serde_json::Value::Array(
                    v.split(';').map(str::trim).filter(|s| !s.is_empty()).map(|s| s.to_string().into()).collect(),
                )
            } else {
                v.to_string().into()
            };
            m.insert(h.to_string(), val);
        }
        out.push((lineno, m));
    }
    Ok(out)
}
