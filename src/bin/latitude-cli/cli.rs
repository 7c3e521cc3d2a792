//! The command line's arguments and commands.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use latitude::charts::{self, Theme};
use latitude::core::counterfactual::{counterfactuals, unit_counterfactuals};
use latitude::core::explain::{counterfactual_section, explain_unit, rigor_combination};
use latitude::core::generate::{generate, GenSpec};
use latitude::core::series::{map_points, unit_series};
use latitude::core::*;
use latitude::storage::file;

#[derive(Parser)]
#[command(name = "latitude-cli", version, about = "Score, explain and chart a Latitude workspace exported from the app; set up a team's CouchDB database.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Size {
    Small,
    Large,
}

#[derive(Subcommand)]
enum Command {
    /// Print every unit's scores, recommendation and flags.
    Score {
        /// A workspace file exported from the app (or written by `gen`).
        file: PathBuf,
        /// Score as of this date (YYYY-MM-DD); default: the last date in the workspace.
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Explain one unit's numbers: inputs and arithmetic.
    Explain {
        file: PathBuf,
        /// The unit's name (or numeric id).
        unit: String,
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Write a deterministic synthetic workspace.
    Gen {
        /// Where to write the workspace file.
        out: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, value_enum, default_value = "large")]
        size: Size,
        /// Number of units (overrides the preset).
        #[arg(long)]
        units: Option<u32>,
        /// Years of history (overrides the preset).
        #[arg(long)]
        years: Option<u32>,
        /// Days between check-ins (overrides the preset).
        #[arg(long)]
        cadence: Option<u16>,
    },
    /// Render the org map, and each unit's trend and rigor charts, to SVG files.
    Render {
        file: PathBuf,
        /// Folder to write the SVG files to (created if missing).
        #[arg(long, default_value = "charts")]
        out: PathBuf,
        #[arg(long)]
        as_of: Option<String>,
        /// Only this unit's charts (name or id), beside the org map.
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        dark: bool,
    },
    /// Print a workshop's one-page summary as Markdown, to paste into a wiki page.
    Workshop {
        file: PathBuf,
        /// The workshop's id; default: the latest (by date).
        #[arg(long)]
        id: Option<u32>,
    },
    /// Set up a team's CouchDB database and its members for a shared workspace.
    #[command(subcommand)]
    Couch(crate::couch::Couch),
}

/// A failure to report, with its exit code.
#[derive(Debug)]
pub struct Failure {
    code: u8,
    pub message: String,
}

impl Failure {
    /// Exit code 2: the command line or environment is wrong.
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure { code: 2, message: message.into() }
    }
    /// Exit code 3: a file's content is refused.
    pub fn data(message: impl Into<String>) -> Failure {
        Failure { code: 3, message: message.into() }
    }
    /// Exit code 4: a file cannot be read or written.
    pub fn io(message: impl Into<String>) -> Failure {
        Failure { code: 4, message: message.into() }
    }
    /// Exit code 5: a server cannot be reached or refused a request.
    pub fn server(message: impl Into<String>) -> Failure {
        Failure { code: 5, message: message.into() }
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("latitude-cli: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

pub fn load(path: &PathBuf) -> Result<Workspace, Failure> {
    let bytes = std::fs::read(path).map_err(|e| Failure::io(format!("cannot read {}: {e}", path.display())))?;
    let text = String::from_utf8(bytes).map_err(|_| Failure::data(format!("{}: not UTF-8 text", path.display())))?;
    // Files made by `gen` for large benchmarks exceed what the app imports in a tab.
    file::import_workspace_within(&text, 4 << 30).map_err(|e| Failure::data(format!("{}: {e}", path.display())))
}

/// Parses `--as-of` before any file is read, so a typo fails fast.
fn parse_as_of(given: &Option<String>) -> Result<Option<time::Date>, Failure> {
    given.as_deref().map(parse_date).transpose().map_err(|e| Failure::usage(format!("--as-of: {e}")))
}

fn as_of(ws: &Workspace, given: Option<time::Date>) -> Result<time::Date, Failure> {
    match given {
        Some(d) => Ok(d),
        None => ws.last_date().ok_or_else(|| Failure::usage("the workspace has no dated records: pass --as-of")),
    }
}

fn find_unit(ws: &Workspace, key: &str) -> Result<UnitId, Failure> {
    if let Some(u) = ws.units.iter().find(|u| u.name.as_str().eq_ignore_ascii_case(key.trim())) {
        return Ok(u.id);
    }
    if let Ok(n) = key.trim().parse::<u32>() {
        if ws.unit(UnitId(n)).is_some() {
            return Ok(UnitId(n));
        }
    }
    Err(Failure::usage(format!("no unit named \u{201c}{key}\u{201d}")))
}

fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Score { file, as_of: given, format } => {
            let given = parse_as_of(&given)?;
            let ws = load(&file)?;
            let date = as_of(&ws, given)?;
            let scores = score(&ws, &ws.policy, date);
            match format {
                Format::Json => {
                    let cfs = counterfactuals(&ws, &ws.policy, &scores);
                    println!("{}", to_json(&scored_json(&ws, &scores, &cfs))?)
                }
                Format::Table => print_table(&ws, &scores),
            }
        }
        Command::Explain { file, unit, as_of: given, format } => {
            let given = parse_as_of(&given)?;
            let ws = load(&file)?;
            let date = as_of(&ws, given)?;
            let id = find_unit(&ws, &unit)?;
            let scores = score(&ws, &ws.policy, date);
            let s = scores.unit(id).ok_or_else(|| Failure::data("unit was not scored"))?;
            let mut sections = explain_unit(&ws, &ws.policy, s);
            sections.push(counterfactual_section(&unit_counterfactuals(&ws, &ws.policy, s, date), s.recommendation.waiting.as_ref()));
            match format {
                Format::Json => println!("{}", to_json(&sections)?),
                Format::Table => {
                    println!("{} as of {}", ws.unit_name(id), format_date(date));
                    for f in &s.flags {
                        println!("  flag {}: {}", f.kind.label(), f.reason);
                    }
                    for sec in sections {
                        println!("\n{} = {}\n  {}", sec.title, sec.value, sec.formula);
                        for l in &sec.lines {
                            println!("  · {l}");
                        }
                        if !sec.parameters.is_empty() {
                            println!("  parameters: {}", sec.parameters_line());
                        }
                    }
                }
            }
        }
        Command::Gen { out, seed, size, units, years, cadence } => {
            let mut spec = match size {
                Size::Small => GenSpec::small(),
                Size::Large => GenSpec::large_org(),
            };
            if let Some(u) = units {
                if u == 0 || u > 100_000 {
                    return Err(Failure::usage("--units: between 1 and 100000"));
                }
                spec.units = u;
            }
            if let Some(y) = years {
                if y == 0 || y > 20 {
                    return Err(Failure::usage("--years: between 1 and 20"));
                }
                spec.years = y;
            }
            if let Some(c) = cadence {
                if c == 0 {
                    return Err(Failure::usage("--cadence: at least 1 day"));
                }
                spec.cadence_days = c;
            }
            let ws = generate(seed, &spec);
            let text = file::export_workspace(&ws);
            std::fs::write(&out, text).map_err(|e| Failure::io(format!("cannot write {}: {e}", out.display())))?;
            eprintln!("wrote {}: {} units, {} commitments, {} check-ins, {} decisions", out.display(), ws.units.len(), ws.commitments.len(), ws.checkin_count(), ws.decisions.len());
        }
        Command::Workshop { file, id } => {
            let ws = load(&file)?;
            let listed = latitude::core::workshop::listed(&ws);
            let chosen = match id {
                Some(n) => ws.workshop(WorkshopId(n)).ok_or_else(|| Failure::usage(format!("--id: no workshop with id {n}")))?,
                None => *listed.first().ok_or_else(|| Failure::usage("the workspace has no workshop"))?,
            };
            print!("{}", summary_markdown(&ws, chosen));
        }
        Command::Couch(couch) => crate::couch::run(couch)?,
        Command::Render { file, out, as_of: given, unit, dark } => {
            let given = parse_as_of(&given)?;
            let ws = load(&file)?;
            let date = as_of(&ws, given)?;
            let theme = if dark { Theme::Dark } else { Theme::Light };
            std::fs::create_dir_all(&out).map_err(|e| Failure::io(format!("cannot create {}: {e}", out.display())))?;
            let scores = score(&ws, &ws.policy, date);
            // Every file names the workspace and the date, as the app's images do.
            let heading = format!("{} · as of {}", ws.name, latitude::core::format_date(date));
            let write = |name: String, svg: String| -> Result<(), Failure> {
                let path = out.join(name);
                std::fs::write(&path, charts::with_heading(&svg, &heading, theme)).map_err(|e| Failure::io(format!("cannot write {}: {e}", path.display())))?;
                println!("{}", path.display());
                Ok(())
            };
            write("org-map.svg".into(), charts::org_map_with(&map_points(&ws, &scores), theme, 760, None, &latitude::core::series::MapRegions::from_policy(&ws.policy)))?;
            let board: Vec<Vec<String>> = latitude::storage::snapshot::board_rows(&ws, &scores).iter().map(|r| r.cells()).collect();
            let table = charts::table_image("Scoreboard", &latitude::storage::snapshot::BOARD_HEADINGS, &board, &latitude::storage::snapshot::BOARD_NUMERIC, theme, 960);
            write("scoreboard.svg".into(), charts::with_footnote(&table, latitude::storage::snapshot::BOARD_KEY, theme))?;
            write("org-rigor.svg".into(), charts::rigor_breakdown("Organisation", &scores.org.rigor, theme))?;
            let ids: Vec<UnitId> = match unit {
                Some(key) => vec![find_unit(&ws, &key)?],
                None => ws.units.iter().map(|u| u.id).collect(),
            };
            let mut sorted = ws.clone();
            sorted.normalize();
            let from = ws.first_date().unwrap_or(date);
            for id in ids {
                let name = ws.unit_name(id);
                let series = unit_series(&sorted, &ws.policy, id, from, date);
                let events = charts::trend_events(&ws, id, from, date);
                let slug = format!("unit-{}", id.0);
                write(format!("{slug}-trend.svg"), charts::unit_trend(name, &series, &events, date, theme))?;
                if let Some(s) = scores.unit(id) {
                    write(format!("{slug}-rigor.svg"), charts::rigor_breakdown(name, &s.rigor, theme))?;
                }
            }
        }
    }
    Ok(())
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, Failure> {
    serde_json::to_string_pretty(value).map_err(|e| Failure::data(format!("cannot write JSON: {e}")))
}

fn scored_json(ws: &Workspace, scores: &Scores, cfs: &[(UnitId, Vec<latitude::core::counterfactual::Counterfactual>)]) -> serde_json::Value {
    let units: Vec<serde_json::Value> = scores
        .units
        .iter()
        .zip(cfs)
        .map(|(s, (_, cf))| {
            let commitments: Vec<serde_json::Value> = ws
                .commitments
                .iter()
                .zip(&scores.commitments)
                .filter(|(c, _)| c.owner == s.unit)
                .map(|(c, cs)| {
                    serde_json::json!({
                        "id": c.id.0,
                        "title": c.title.as_str(),
                        "due": c.due.map(format_date),
                        "is_due": cs.due,
                        "scored_on": cs.scored.map(|(d, _)| format_date(d)),
                        "value": cs.scored.map(|(_, v)| v),
                        "attainment": cs.attainment.map(|a| round(a, 4)),
                        "unverified": cs.unverified,
                        "path": cs.path.label(),
                    })
                })
                .collect();
            serde_json::json!({
                "id": s.unit.0,
                "name": ws.unit_name(s.unit),
                "autonomy": round(s.autonomy, 1),
                "supported": round(s.supported, 1),
                "gap": round(s.gap, 1),
                "track_record": round(s.track_record, 3),
                "rigor": round(s.rigor.value, 3),
                "components": s.rigor.components.iter().map(|c| (c.kind.as_str(), round(c.value, 3))).collect::<std::collections::BTreeMap<_, _>>(),
                "components_left_out": s.rigor.left_out().into_iter().map(|(k, why)| serde_json::json!({"component": k.as_str(), "why": why})).collect::<Vec<_>>(),
                "rigor_combination": rigor_combination(&s.rigor),
                "commitments": commitments,
                "recommendation": s.recommendation.verdict.as_str(),
                "law": s.recommendation.law.as_str(),
                "waiting": s.recommendation.waiting,
                "reason": s.recommendation.reason,
                "counterfactuals": cf,
                "flags": s.flags.iter().map(|f| serde_json::json!({"kind": f.kind.as_str(), "reason": f.reason})).collect::<Vec<_>>(),
                "leadership_ratio": s.leadership.as_ref().and_then(|l| l.ratio).map(|r| round(r, 3)),
                "profile": s.profile.as_str(),
                "assessment": s.assessment,
            })
        })
        .collect();
    serde_json::json!({
        "workspace": ws.name.as_str(),
        "as_of": format_date(scores.as_of),
        "org": {
            "units": scores.org.units,
            "mean_autonomy": round(scores.org.mean_autonomy, 1),
            "mean_supported": round(scores.org.mean_supported, 1),
            "rigor": round(scores.org.rigor.value, 3),
            "expand": scores.org.expand,
            "hold": scores.org.hold,
            "contract": scores.org.contract,
            "flags": scores.org.flags,
        },
        "units": units,
    })
}

fn round(v: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (v * f).round() / f
}

fn print_table(ws: &Workspace, scores: &Scores) {
    println!("{} as of {}", ws.name, format_date(scores.as_of));
    println!("{:<28} {:>5} {:>5} {:>6} {:>5} {:>5}  {:<9} flags", "unit", "A", "S", "gap", "TR", "R", "verdict");
    for s in &scores.units {
        let name: String = ws.unit_name(s.unit).chars().take(28).collect();
        let flags: Vec<&str> = s.flags.iter().map(|f| f.kind.as_str()).collect();
        let gap = ws.policy.gap_between(s.autonomy, s.supported);
        println!("{:<28} {:>5.0} {:>5.0} {:>6} {:>5.2} {:>5.2}  {:<9} {}", name, s.autonomy, s.supported, gap, s.track_record, s.rigor.value, s.recommendation.verdict.as_str(), flags.join(", "));
    }
    let o = &scores.org;
    println!(
        "\norg: {} units, mean A {:.0}, mean S {:.0}, rigor {:.2}; {} expand, {} hold, {} contract; {} flags",
        o.units, o.mean_autonomy, o.mean_supported, o.rigor.value, o.expand, o.hold, o.contract, o.flags
    );
}
