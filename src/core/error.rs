//! Errors of the domain model, each with a sentence a user can act on.

use thiserror::Error;

/// A record that breaks one of the model's invariants. The text names the field.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ModelError {
    #[error("name: must not be empty")]
    EmptyName,
    #[error("name: must be at most {max} characters")]
    NameTooLong { max: usize },
    #[error("{field}: must be a finite number")]
    NotFinite { field: &'static str },
    #[error("{field}: must be between {min} and {max}, got {value}")]
    OutOfRange { field: &'static str, min: i64, max: i64, value: i64 },
    #[error("weight: must be a number above 0 and at most 100")]
    BadWeight,
    #[error("target: equals the baseline in \u{201c}{commitment}\u{201d}, so progress cannot be measured")]
    TargetEqualsBaseline { commitment: String },
    #[error("target: lies on the wrong side of the baseline for the direction of \u{201c}{commitment}\u{201d}")]
    TargetWrongSide { commitment: String },
    #[error("due date: is before the start date of \u{201c}{commitment}\u{201d}")]
    DueBeforeStart { commitment: String },
    #[error("reviewer: must be someone other than the owner of \u{201c}{commitment}\u{201d}")]
    ReviewerIsOwner { commitment: String },
    #[error("parent: \u{201c}{unit}\u{201d} cannot lead itself, directly or through its reports")]
    ParentCycle { unit: String },
    #[error("{field}: no unit with id {id}")]
    UnknownUnit { field: &'static str, id: u32 },
    #[error("{field}: no decision area with id {id}")]
    UnknownArea { field: &'static str, id: u32 },
    #[error("id: {kind} id {id} is used twice")]
    DuplicateId { kind: &'static str, id: u32 },
    #[error("review date: is before the decision \u{201c}{decision}\u{201d} was made")]
    ReviewBeforeDecision { decision: String },
    #[error("policy {field}: {problem}")]
    Policy { field: &'static str, problem: &'static str },
    #[error("check-in date: \u{201c}{commitment}\u{201d} has two check-ins on {date}; edit the existing one")]
    DuplicateCheckIn { commitment: String, date: String },
    #[error("date: \u{201c}{text}\u{201d} is not a date like 2026-03-31")]
    BadDate { text: String },
    #[error("date: \u{201c}{text}\u{201d} is before {earliest}: check the year")]
    EarlyDate { text: String, earliest: i32 },
    #[error("workshop \u{201c}{title}\u{201d}, {field}: {problem}")]
    Workshop { title: String, field: &'static str, problem: String },
}

/// A refusal as a sentence to show beside the field it is about. The core's refusals
/// name their field first ("title: must not be empty", "due date: is before the start
/// date of …"), which a log or an import report needs; beside the field, "Title must not
/// be empty" reads better, and so does "Date “0027-10-12” is before 1900". A refusal
/// whose words do not go on from the field's name
/// keeps its colon, capitalised ("Outcome: choose good, mixed or bad"); any other text
/// is only capitalised.
pub fn beside_field(refusal: &str) -> String {
    const GOES_ON: [&str; 8] = ["must ", "is ", "are ", "equals ", "lies ", "cannot ", "has ", "could "];
    let text = match refusal.split_once(": ") {
        Some((field, rest)) if field.split(' ').count() <= 4 && !field.contains(['.', '\u{201c}', ',']) && (GOES_ON.iter().any(|w| rest.starts_with(w)) || rest.starts_with('\u{201c}')) => {
            format!("{field} {rest}")
        }
        _ => refusal.to_owned(),
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}
