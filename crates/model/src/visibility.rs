//! Here is a user of an agency and a notice: may they see it, and which fields?
//!
//! Useful for: every read path (search results, screening hits, exports, counts,
//! error messages). Not useful for: deciding who may *change* a notice — that is
//! the lifecycle methods on [`Notice`].

use jiff::{civil::Date, tz::TimeZone, Timestamp};

use crate::{AgencyCode, Agreement, Distribution, Notice, NoticeType, Role, Status, Tlp, UncheckedNotice};

/// Who is looking.
#[derive(Debug, Clone, Copy)]
pub struct Viewer<'a> {
    /// The user's agency.
    pub agency: &'a AgencyCode,
    /// The user's roles.
    pub roles: &'a [Role],
}

/// Which fields of a notice a viewer may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FieldSet {
    /// Identity particulars, document, warnings, action to take and labels: what
    /// a partner's officer needs at a border, without judicial data or summary.
    Screening,
    /// Everything the owner shared: the content, without the owner's internal
    /// workflow (author, reviewer, reasons).
    Shared,
    /// Everything, including the workflow: the owning agency.
    Full,
}

/// The one rule. The owner always sees everything. Anyone else sees a notice only
/// if it is published and not expired at `now`, its distribution includes their
/// agency (TLP:RED: names it), an agreement in force today covers its type in the
/// owner-to-viewer direction with a TLP ceiling at or above its label — and then
/// analysts, reviewers and admins see [`FieldSet::Shared`], officers
/// [`FieldSet::Screening`], auditors alone nothing.
pub fn visibility(viewer: &Viewer<'_>, notice: &Notice, agreements: &[Agreement], now: Timestamp) -> Option<FieldSet> {
    let c = notice.content();
    let head = NoticeHead {
        owner: &c.owner,
        kind: c.kind,
        tlp: c.tlp,
        distribution: &c.distribution,
        status: notice.status_at(now),
    };
    visibility_of(viewer, &head, agreements, day_of(now))
}

/// The UTC calendar day of a moment: agreements are in force by days. Callers
/// that ask [`visibility_of`] about many notices compute it once.
pub fn day_of(now: Timestamp) -> Date {
    now.to_zoned(TimeZone::UTC).date()
}

/// What the visibility rule looks at, for callers that keep only this much of a
/// notice in memory (the server's screening index).
#[derive(Debug, Clone, Copy)]
pub struct NoticeHead<'a> {
    /// The owner.
    pub owner: &'a AgencyCode,
    /// The type.
    pub kind: NoticeType,
    /// The TLP label.
    pub tlp: Tlp,
    /// The distribution.
    pub distribution: &'a Distribution,
    /// The status at the moment asked about ([`Notice::status_at`]).
    pub status: Status,
}

/// [`visibility`] over a [`NoticeHead`] on a day ([`day_of`]): the same rule,
/// for the same answer.
pub fn visibility_of(viewer: &Viewer<'_>, c: &NoticeHead<'_>, agreements: &[Agreement], day: Date) -> Option<FieldSet> {
    if viewer.agency == c.owner {
        return Some(FieldSet::Full);
    }
    if c.status != Status::Published || !c.distribution.includes(viewer.agency) {
        return None;
    }
    if c.tlp == Tlp::Red && !c.distribution.names(viewer.agency) {
        return None;
    }
    if !agreements.iter().any(|a| a.covers(c.owner, viewer.agency, c.kind, c.tlp, day)) {
        return None;
    }
    let has = |r| viewer.roles.contains(&r);
    if has(Role::Analyst) || has(Role::Reviewer) || has(Role::Admin) {
        Some(FieldSet::Shared)
    } else if has(Role::Officer) {
        Some(FieldSet::Screening)
    } else {
        None
    }
}

impl Notice {
    /// The content cut down to a field set. The distribution list is the owner's
    /// business: other agencies see only whether it went to all members.
    pub fn redacted(&self, fields: FieldSet) -> UncheckedNotice {
        let mut c = self.content().clone();
        if fields == FieldSet::Full {
            return c;
        }
        if !matches!(c.distribution, Distribution::All) {
            c.distribution = Distribution::Named(Vec::new());
        }
        if fields == FieldSet::Screening {
            c.judicial = None;
            c.summary.clear();
            if let Some(p) = c.person.as_mut() {
                p.description.clear();
            }
        }
        c
    }
}
