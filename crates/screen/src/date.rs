//! Dates of birth as watchlists hold them: often only a year, sometimes a month.

use crate::DobEffect;

/// A date of birth known to the year, month or day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDate {
    /// Year.
    pub year: u16,
    /// Month 1–12, if known.
    pub month: Option<u8>,
    /// Day 1–31, if known.
    pub day: Option<u8>,
}

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not YYYY, YYYY-MM or YYYY-MM-DD.
    #[error("{0:?} is not YYYY, YYYY-MM or YYYY-MM-DD")]
    Format(String),
    /// A field out of range.
    #[error("{0:?} has a year, month or day out of range")]
    Range(String),
}

impl PartialDate {
    /// Parse "YYYY", "YYYY-MM" or "YYYY-MM-DD".
    pub fn parse(s: &str) -> Result<PartialDate, DateError> {
        let t = s.trim();
        let mut it = t.split('-');
        let num = |x: Option<&str>, len: usize| -> Result<Option<u16>, DateError> {
            match x {
                None => Ok(None),
                Some(v) if v.len() == len && v.bytes().all(|c| c.is_ascii_digit()) => {
                    v.parse().map(Some).map_err(|_| DateError::Format(s.to_string()))
                }
                Some(_) => Err(DateError::Format(s.to_string())),
            }
        };
        let year = num(it.next(), 4)?.ok_or_else(|| DateError::Format(s.to_string()))?;
        let month = num(it.next(), 2)?;
        let day = num(it.next(), 2)?;
        if it.next().is_some() || (day.is_some() && month.is_none()) {
            return Err(DateError::Format(s.to_string()));
        }
        if !(1800..=2200).contains(&year)
            || month.is_some_and(|m| !(1..=12).contains(&m))
            || day.is_some_and(|d| !(1..=31).contains(&d))
        {
            return Err(DateError::Range(s.to_string()));
        }
        Ok(PartialDate { year, month: month.map(|m| m as u8), day: day.map(|d| d as u8) })
    }

    /// How this date bears on another: agreement as far as both are known.
    pub fn compare(&self, other: &PartialDate) -> DobEffect {
        if self.year != other.year {
            return if self.year.abs_diff(other.year) == 1 { DobEffect::Near } else { DobEffect::Contradicts };
        }
        match (self.month, other.month) {
            (Some(a), Some(b)) if a != b => return DobEffect::Contradicts,
            (Some(_), Some(_)) => {}
            _ => return DobEffect::AgreesPartly,
        }
        match (self.day, other.day) {
            (Some(a), Some(b)) if a != b => DobEffect::Contradicts,
            (Some(_), Some(_)) => DobEffect::Agrees,
            _ => DobEffect::AgreesPartly,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_compares() {
        let d = |s| PartialDate::parse(s).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d("1970").compare(&d("1970-05-02")), DobEffect::AgreesPartly);
        assert_eq!(d("1970-05-02").compare(&d("1970-05-02")), DobEffect::Agrees);
        assert_eq!(d("1970-05-02").compare(&d("1970-06-02")), DobEffect::Contradicts);
        assert_eq!(d("1970").compare(&d("1971")), DobEffect::Near);
        assert_eq!(d("1970").compare(&d("1980")), DobEffect::Contradicts);
        assert!(PartialDate::parse("1970-13").is_err());
        assert!(PartialDate::parse("70").is_err());
        assert!(PartialDate::parse("1970-1-1").is_err());
    }
}
