//! Workspace files: export to JSON, and import with every check a hostile or broken
//! file needs (size first, then syntax, nesting, numbers, schema and the model's rules).
//! Every refusal says where the problem is: the record, by the name people know it by,
//! and the field (see [`super::locate`]), or the limit that was passed.

use crate::core::{ModelError, Workspace};

use super::envelope::{migrate, Envelope, EnvelopeError};
use super::locate::{plain, string_end, syntax_words, Location};

/// Files larger than this are refused before they are read.
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

/// Lists and records nested deeper than this are refused (serde_json's limit, which
/// keeps a hostile file from overflowing the stack; a Latitude file nests 5 levels).
pub const MAX_NESTING: usize = 127;

/// Why a file was not imported. Nothing is applied when any of these happens.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    #[error("the file is {size} bytes; the limit is {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    #[error("the file is empty")]
    Empty,
    #[error("the file nests lists or records more than {limit} levels deep (line {line}, column {column}); Latitude reads at most {limit} levels")]
    TooDeep { limit: usize, line: usize, column: usize },
    #[error("the file is not valid JSON: {problem} (line {line}, column {column})")]
    Syntax { problem: String, line: usize, column: usize },
    #[error("{at}: {text} is out of range (numbers must lie between -1.7e308 and 1.7e308)")]
    NumberOutOfRange { at: Location, text: String },
    #[error("{0}")]
    Envelope(#[from] EnvelopeError),
    /// A record's field does not fit the format (wrong type, missing, out of range).
    #[error("{at}: {problem}")]
    Field { at: Location, problem: String },
    #[error("the workspace does not match the format: {0}")]
    Shape(String),
    /// A stored value's compact body could not be read.
    #[error(transparent)]
    Stored(#[from] super::compact::CompactError),
    #[error("the workspace breaks {} rule{}: {}", .0.len(), if .0.len() == 1 { "" } else { "s" }, summary(.0))]
    Invalid(Vec<ModelError>),
}

fn summary(errors: &[ModelError]) -> String {
    let mut parts: Vec<String> = errors.iter().take(5).map(ToString::to_string).collect();
    if errors.len() > 5 {
        parts.push(format!("and {} more", errors.len() - 5));
    }
    parts.join("; ")
}

/// The workspace as a pretty JSON file in the current envelope.
pub fn export_workspace(ws: &Workspace) -> String {
    let env = Envelope::new(ws.clone(), 0, "export", "");
    // Written compact, as a stored workspace is, then indented: serde_json's pretty
    // writer would compile every record's serializer a second time into the wasm.
    match serde_json::to_string(&env) {
        Ok(compact) => indent(&compact),
        Err(e) => format!("{{\"error\": \"{e}\"}}"),
    }
}

/// Compact JSON (no whitespace outside strings, as `serde_json::to_string` writes it)
/// laid out as `serde_json::to_string_pretty` lays it out: two spaces per level, one
/// value per line, `{}` and `[]` for empty records and lists.
fn indent(compact: &str) -> String {
    let b = compact.as_bytes();
    let mut out = String::with_capacity(b.len() * 2);
    let mut depth = 0usize;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let start = i;
                i = string_end(b, i);
                out.push_str(&compact[start..i]);
                continue;
            }
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                out.push(open as char);
                if b.get(i + 1) == Some(&close) {
                    out.push(close as char);
                    i += 1;
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            close @ (b'}' | b']') => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(close as char);
            }
            b',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            b':' => out.push_str(": "),
            _ => {
                let start = i;
                while i < b.len() && !matches!(b[i], b',' | b'}' | b']' | b':' | b'"') {
                    i += 1;
                }
                out.push_str(&compact[start..i]);
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Parses, migrates and validates a workspace file.
pub fn import_workspace(text: &str) -> Result<Workspace, ImportError> {
    Ok(import_envelope(text)?.workspace)
}

/// Parses, migrates and validates an envelope (a file or a stored value).
pub fn import_envelope(text: &str) -> Result<Envelope, ImportError> {
    import_envelope_within(text, MAX_IMPORT_BYTES)
}

/// [`import_workspace`] with another size limit (the command line reads larger files
/// than a browser tab should).
pub fn import_workspace_within(text: &str, limit: usize) -> Result<Workspace, ImportError> {
    Ok(import_envelope_within(text, limit)?.workspace)
}

fn import_envelope_within(text: &str, limit: usize) -> Result<Envelope, ImportError> {
    if text.len() > limit {
        return Err(ImportError::TooLarge { size: text.len(), limit });
    }
    // serde_json refuses nesting deeper than MAX_NESTING instead of overflowing the
    // stack, and numbers that do not fit an f64 instead of making infinities.
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| json_error(text, e))?;
    let value = migrate(value)?;
    // The records are read from the migrated value written out again, with the same
    // deserializer as the stored workspaces (one copy of that code in the wasm); where
    // the reader stopped in that JSON says which record and field a refusal is about.
    let json = serde_json::to_vec(&value).map_err(|e| ImportError::Shape(plain(&e.to_string())))?;
    drop(value);
    let mut env: Envelope = serde_json::from_slice(&json).map_err(|e| {
        let (at, problem) = Location::refused(&json, &e, text);
        ImportError::Field { at, problem }
    })?;
    env.workspace.normalize();
    env.workspace.validate().map_err(ImportError::Invalid)?;
    Ok(env)
}

/// What is wrong with a text that is not JSON, in words, with where.
pub(crate) fn json_error(text: &str, e: serde_json::Error) -> ImportError {
    let (line, column) = (e.line(), e.column());
    let message = e.to_string();
    if message.starts_with("recursion limit exceeded") {
        return ImportError::TooDeep { limit: MAX_NESTING, line, column };
    }
    if message.starts_with("number out of range") {
        // Where the reader stopped names the record and the field.
        return ImportError::NumberOutOfRange { at: Location::at(text.as_bytes(), line, column, text), text: number_at(text, line, column) };
    }
    if e.is_data() {
        return ImportError::Shape(plain(&message));
    }
    if text.trim().is_empty() {
        return ImportError::Empty;
    }
    let problem = if e.is_eof() { "the file ends before the JSON does (it may have been cut short)".to_owned() } else { syntax_words(&message) };
    ImportError::Syntax { problem, line, column }
}

/// The number serde_json stopped at (it reports the position just after it).
fn number_at(text: &str, line: usize, column: usize) -> String {
    let start = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum::<usize>();
    let end = (start + column).min(text.len());
    let is_num = |b: &u8| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-');
    let bytes = text.as_bytes();
    let mut from = end;
    while from > start && bytes.get(from - 1).is_some_and(is_num) {
        from -= 1;
    }
    let mut to = end;
    while bytes.get(to).is_some_and(is_num) {
        to += 1;
    }
    let token: String = text[from..to].chars().take(40).collect();
    if token.is_empty() {
        "a number".to_owned()
    } else {
        token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::generate::{generate, GenSpec};
    use crate::core::sample::sample_org;

    #[test]
    fn the_export_is_laid_out_as_serde_json_lays_out_pretty_json() {
        let mut tricky = generate(7, &GenSpec::small());
        tricky.name = crate::core::Name::new("Quotes \" and \\ back, {braces} [brackets]: colons, commas; é ☃ \u{1F600}").unwrap();
        for ws in [sample_org(time::macros::date!(2026 - 11 - 27)), tricky, Workspace::new(crate::core::Name::new("Empty").unwrap())] {
            let env = Envelope::new(ws.clone(), 0, "export", "");
            assert_eq!(export_workspace(&ws), serde_json::to_string_pretty(&env).unwrap());
        }
    }
}
