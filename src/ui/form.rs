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
    /// Shows `message` beside the field with element id `field`.
    pub fn set(self, field: impl Into<String>, message: impl Into<String>) {
        self.error.set(Some((field.into(), message.into())));
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
