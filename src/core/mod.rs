//! The domain and the scoring law: pure Rust with no web crates, no clock and no I/O,
//! so every number is a function of (workspace, policy, as-of date) and runs the same
//! in the browser, the command line and the tests.

pub mod command;
pub mod counterfactual;
pub mod dates;
pub mod error;
pub mod explain;
pub mod generate;
pub mod model;
pub mod number;
pub mod plausible;
pub mod policy;
pub mod renumber;
pub mod sample;
pub mod score;
pub mod series;
pub mod todo;
pub mod workshop;

pub use command::{apply, AreaRef, Change, CheckInKey, CheckInRow, Command, CommandError, DatedKey, Edits, GrantKey};
pub use dates::{format_date, parse_date, parse_typed_date};
pub use error::ModelError;
pub use model::*;
pub use number::{parse_typed_number, NumberError};
pub use policy::{GapBand, Policy, RigorWeights};
pub use score::{rescore_after, rescore_change, rescore_commitment, score, Action, Assessment, FlagKind, Profile, Recommendation, Scorer, Scores, UnitScore};
pub use workshop::{
    latest_open, results_summary, round_history, round_summary, summary_markdown, ActionInput, ActionItem, Agreement, Median, Period, PokerRound, RoundId, ShownVotes, Step, StepTimer, UnitOutcome,
    Vote, VotePrivacy, VoteStats, WorkshopClock, WorkshopId, WorkshopSession,
};
