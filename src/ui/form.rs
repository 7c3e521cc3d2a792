//! What every form shares: a refusal shown beside the field it is about, and a guard so
//! that a second click on a submit button never records twice.

use leptos::prelude::*;

/// The message of a refused submit and the field it is about (the field's element id).
#[derive(Clone, Copy)]
pub struct FormError {
    error: RwSignal<Option<(String, String)>>,
}

impl Default for FormError {
    fn default() -> Self {
        FormError { error: RwSignal::new(None) }
    }
}

impl FormError {
    /// Shows `message` beside the field with element id `field`, as a sentence
    /// ([`beside_field`](crate::core::error::beside_field)).
    /// The field gets the focus, so the message is read with it and typing goes there.
    pub fn set(self, field: impl Into<String>, message: impl Into<String>) {
        let field = field.into();
        crate::ui::browser::focus_after_render(format!("[id=\"{field}\"]"));
        self.error.set(Some((field, crate::core::error::beside_field(&message.into()))));
    }

    pub fn clear(self) {
        if self.error.with_untracked(Option::is_some) {
            self.error.set(None);
        }
    }

    /// The message for `field`, if the refusal is about it.
    pub fn message(self, field: &str) -> Option<String> {
        self.error.with(|e| e.as_ref().filter(|(f, _)| f == field).map(|(_, m)| m.clone()))
    }

    /// `aria-invalid` of `field`.
    pub fn invalid(self, field: &str) -> &'static str {
        if self.error.with(|e| e.as_ref().is_some_and(|(f, _)| f == field)) {
            "true"
        } else {
            "false"
        }
    }
}

/// The refusal beside one field: element id and `data-testid` `{field}-error`, which the
/// field names in its `aria-describedby`.
#[component]
pub fn FieldError(
    /// The form's refusal.
    error: FormError,
    /// The field's element id.
    #[prop(into)]
    field: String,
) -> impl IntoView {
    let id = format!("{field}-error");
    view! {
        <p id=id.clone() class="field__error" data-testid=id role="alert">{move || error.message(&field)}</p>
    }
}

/// Remembers that the form's values were just recorded: a submit that follows with
/// nothing changed in between (a double click, a second Enter) does nothing. Any input
/// or change event inside the form makes it submittable again.
#[derive(Clone, Copy)]
pub struct SubmitOnce {
    recorded: StoredValue<bool>,
}

impl Default for SubmitOnce {
    fn default() -> Self {
        SubmitOnce { recorded: StoredValue::new(false) }
    }
}

impl SubmitOnce {
    /// Whether this submit repeats the one just recorded.
    pub fn repeated(self) -> bool {
        self.recorded.get_value()
    }

    /// The form's values were recorded.
    pub fn recorded(self) {
        self.recorded.set_value(true);
    }

    /// Something in the form changed (wire to the form's `input` and `change` events).
    pub fn touched(self) {
        self.recorded.set_value(false);
    }
}

impl FormError {
    /// Shows a refused command beside the field it names: `fields` maps the command's
    /// field names to this form's element ids; anything else goes beside `fallback`.
    pub fn refuse(self, e: &crate::core::CommandError, fields: &[(&str, &str)], fallback: &str) {
        let id = fields.iter().find(|(name, _)| *name == e.field()).map(|(_, id)| *id).unwrap_or(fallback);
        self.set(id, e.to_string());
    }
}

/// Reads a choice typed or picked in a form through its one `FromStr`: an unknown word is
/// refused with the accepted ones, never read as a default.
pub fn choice<T: std::str::FromStr<Err = crate::core::ChoiceError>>(text: &str) -> Result<T, String> {
    text.parse::<T>().map_err(|e| e.to_string())
}

/// Reads a number typed in a form with the one parser for typed numbers; `field` names
/// it in the refusal. An empty field is `None`.
pub fn optional_number(text: &str, field: &str) -> Result<Option<crate::core::Finite>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    crate::core::parse_typed_number(text).map(Some).map_err(|e| format!("{field}: {e}"))
}

/// A number that must be there.
pub fn number(text: &str, field: &str) -> Result<crate::core::Finite, String> {
    crate::core::parse_typed_number(text).map_err(|e| format!("{field}: {e}"))
}

/// The decision area an [`AreaPicker`](crate::ui::widgets::AreaPicker) means: the one
/// chosen (the first one shown when none was picked), or a new one by the typed name,
/// which must be given.
pub fn area_ref(ws: &crate::core::Workspace, chosen: &str, typed: &str) -> Result<crate::core::AreaRef, String> {
    use crate::core::{AreaId, AreaRef, Name};
    if chosen == "new" || ws.areas.is_empty() {
        if typed.trim().is_empty() && ws.areas.is_empty() {
            return Err("decision area: this workspace has none yet, so name the first decision area (e.g. Architecture)".into());
        }
        if typed.trim().is_empty() {
            return Err("decision area: name the new area (e.g. Architecture)".into());
        }
        return Name::new(typed).map(AreaRef::New).map_err(|e| format!("decision area {e}"));
    }
    match chosen.trim() {
        "" => Ok(AreaRef::Existing(ws.areas[0].id)),
        t => t.parse().map(|n| AreaRef::Existing(AreaId(n))).map_err(|_| format!("decision area: \u{201c}{t}\u{201d} is not an area")),
    }
}

/// A form that edits a stored record, whose record changed while it was open (another
/// tab's version taken live, or Undo): saving it as it is would put back what changed.
/// `fields` are the form's fields (signal, element id, name in a message), `was` the
/// record as the form showed it and `is` the record now, as the fields hold them;
/// `shown(i, text)` is field `i`'s text as the user reads it (a unit's name for its id).
/// A field left as it was takes the new value; one changed here keeps what was typed,
/// and the message says what it is now there. Returns the element id of the first field
/// changed meanwhile (`fallback` if none) and the message to show there; the caller
/// shows the record `is` from now on, and the user checks the form and saves again.
pub fn take_changes_meanwhile(
    record: &str,
    fields: &[(RwSignal<String>, &str, &str)],
    was: &[String],
    is: &[String],
    also_taken: &[&str],
    shown: &dyn Fn(usize, &str) -> String,
    fallback: &str,
) -> (String, String) {
    let mut taken: Vec<&str> = Vec::new();
    let mut kept: Vec<String> = Vec::new();
    // The message goes beside the first field changed on both sides, else the first
    // that took a new value.
    let (mut first_kept, mut first_taken) = (None, None);
    for (i, (field, id, name)) in fields.iter().enumerate() {
        if was[i] == is[i] {
            continue;
        }
        if field.get_untracked() == was[i] {
            field.set(is[i].clone());
        }
        if field.get_untracked() == is[i] {
            taken.push(name);
            first_taken.get_or_insert(*id);
        } else {
            kept.push(format!("{name} (now \u{201c}{}\u{201d} there)", shown(i, &is[i])));
            first_kept.get_or_insert(*id);
        }
    }
    let first = first_kept.or(first_taken);
    taken.extend_from_slice(also_taken);
    let mut message = format!("This {record} was changed while this form was open (in another tab, or by Undo).");
    if !taken.is_empty() {
        message.push_str(&format!(" The form now shows the new {}.", taken.join(", ")));
    }
    if !kept.is_empty() {
        message.push_str(&format!(" You changed it here too, and the form keeps your value: {}.", kept.join(", ")));
    }
    message.push_str(" Check, then save again.");
    (first.unwrap_or(fallback).to_owned(), message)
}
