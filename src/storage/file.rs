//! Workspace files: export to JSON, and import with every check a hostile or broken
//! file needs (size first, then syntax, nesting, numbers, schema and the model's rules).

use crate::core::{ModelError, Workspace};

use super::envelope::{migrate, Envelope, EnvelopeError};

/// Files larger than this are refused before they are read.
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

/// Why a file was not imported. Nothing is applied when any of these happens.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    #[error("the file is {size} bytes; the limit is {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    #[error("the file is not valid JSON: {0}")]
    Syntax(String),
    #[error("{0}")]
    Envelope(#[from] EnvelopeError),
    #[error("the workspace does not match the format: {0}")]
    Shape(String),
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
    serde_json::to_string_pretty(&env).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
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
    // serde_json refuses nesting deeper than 128 levels instead of overflowing the stack,
    // and numbers that do not fit an f64 instead of making infinities.
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| ImportError::Syntax(e.to_string()))?;
    let value = migrate(value)?;
    let mut env: Envelope = serde_json::from_value(value).map_err(|e| ImportError::Shape(e.to_string()))?;
    env.workspace.normalize();
    env.workspace.validate().map_err(ImportError::Invalid)?;
    Ok(env)
}
