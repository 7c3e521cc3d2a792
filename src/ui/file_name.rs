//! The name a downloaded file gets: safe on every operating system, whatever the
//! workspace is called. Every download goes through [`safe_file_name`].

/// Longest name kept, in bytes of UTF-8 (file systems allow 255).
pub const MAX_BYTES: usize = 120;

/// Device names Windows reserves, with any extension.
const RESERVED: [&str; 4] = ["con", "prn", "aux", "nul"];

/// Characters that are refused or meaningful somewhere (Windows, macOS, Linux, shells)
/// or that can disguise a name (bidirectional and zero-width controls).
fn unsafe_char(c: char) -> bool {
    matches!(c, '<' | '>' | ':' | '"' | '\'' | '`' | '/' | '\\' | '|' | '?' | '*' | '\u{7f}') || c.is_control() || c.is_whitespace() || invisible(c)
}

fn invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}' | '\u{061c}' | '\u{00ad}')
}

/// `name` (e.g. `latitude-sample:-northwind-analytics.json`) made safe: unsafe
/// characters and whitespace become `-`, runs of `-` collapse, no leading or trailing
/// `-`, `.` or space, no reserved device name, at most [`MAX_BYTES`], never empty. The
/// extension (up to 8 ASCII letters and digits after the last dot) is kept as it is.
pub fn safe_file_name(name: &str) -> String {
    // A pass can uncover what the next one would change (`a-.b` has no extension until
    // `-.` goes): repeat until nothing changes, so a safe name stays as it is.
    let mut name = pass(name);
    for _ in 0..8 {
        let next = pass(&name);
        if next == name {
            break;
        }
        name = next;
    }
    name
}

fn pass(name: &str) -> String {
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !e.is_empty() && e.len() <= 8 && e.chars().all(|c| c.is_ascii_alphanumeric()) => (s, Some(e)),
        _ => (name, None),
    };
    let mut out = String::new();
    for c in stem.chars() {
        if invisible(c) {
            continue;
        }
        let c = if unsafe_char(c) { '-' } else { c };
        if c == '-' && out.ends_with('-') {
            continue;
        }
        out.push(c);
    }
    let trim = |s: &str| s.trim_matches(|c: char| c == '-' || c == '.' || c == ' ').to_owned();
    let mut stem = trim(&out);
    // `con.tar` is as reserved as `con`: the part before the first dot counts.
    let first = stem.split('.').next().unwrap_or("").len();
    let device = stem[..first].to_ascii_lowercase();
    if RESERVED.contains(&device.as_str()) || ((device.starts_with("com") || device.starts_with("lpt")) && device.len() == 4 && device.as_bytes()[3].is_ascii_digit()) {
        stem = format!("{}-file{}", &stem[..first], &stem[first..]);
    }
    if stem.is_empty() {
        stem = "latitude".into();
    }
    let suffix = ext.map(|e| format!(".{e}")).unwrap_or_default();
    let room = MAX_BYTES.saturating_sub(suffix.len());
    if stem.len() > room {
        let mut cut = room;
        while !stem.is_char_boundary(cut) {
            cut -= 1;
        }
        stem.truncate(cut);
        stem = trim(&stem);
        if stem.is_empty() {
            stem = "latitude".into();
        }
    }
    stem + &suffix
}

/// The name of a downloaded view: `latitude-<workspace>-<view>-<as-of>.<ext>`, the
/// workspace's name in lower case, made safe by [`safe_file_name`]; `as_of` is the date
/// the view shows (`YYYY-MM-DD`). A long workspace name is shortened so that the view
/// and the date stay in the name.
pub fn export_file_name(workspace: &str, view: &str, as_of: &str, ext: &str) -> String {
    let workspace: String = workspace.to_lowercase().chars().take(48).collect();
    safe_file_name(&format!("latitude-{workspace}-{}-{as_of}.{ext}", view.to_lowercase().chars().take(40).collect::<String>()))
}
