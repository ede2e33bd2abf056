//! Pages for signing in, one-time links, enrolling a device and the person's own account.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    load_account, load_link, AcceptLink, EnrolDevice, SetMyPin, SignIn, SignOut, SignOutEverywhere,
};
use crate::error::AppError;
use crate::ui::ErrorPanel;

/// Shows why the last submission of a form failed, if it did.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    move || {
        error.get().map(|message| {
            view! {
                <p class="form-error" role="alert">
                    <span aria-hidden="true">"⚠ "</span>
                    {message}
                </p>
            }
        })
    }
}

/// Returns the error message of an action's last result, as a signal for [`FormError`].
pub fn failure<T, S>(value: S) -> Signal<Option<String>>
where
    S: With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    T: 'static,
{
    Signal::derive(move || {
        value.with(|value| match value {
            Some(Err(error)) => Some(error.to_string()),
            _ => None,
        })
    })
}

/// Email and password sign-in for staff and parents.
#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <main class="page narrow">
            <header class="page-header">
                <h1>"Sign in"</h1>
                <p>"Staff and parents sign in with the email address the nursery has for them."</p>
            </header>
            <ActionForm action attr:class="panel form">
                <input type="hidden" name="next" value=next />
                <label>
                    <span>"Email"</span>
                    <input type="email" name="email" autocomplete="username" required />
                </label>
                <label>
                    <span>"Password"</span>
                    <input type="password" name="password" autocomplete="current-password" required />
                </label>
                <FormError error=failure(action.value()) />
                <button type="submit" class="button primary">"Sign in"</button>
            </ActionForm>
            <p class="hint">
                "Setting up a room tablet? "
                <a href="/enrol">"Enrol this tablet with a pairing code"</a>
            </p>
            <p class="hint">"Forgotten your password? Ask the nursery manager for a reset link."</p>
        </main>
    }
}

/// Shows an invitation, password-reset or set-up link's form for choosing a password.
#[component]
pub fn LinkPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let link = Resource::new(token, load_link);
    let action = ServerAction::<AcceptLink>::new();
    view! {
        <main class="page narrow">
            <Suspense fallback=|| view! { <p class="loading">"Checking the link…"</p> }>
                {move || Suspend::new(async move {
                    let info = match link.await {
                        Ok(info) => info,
                        Err(error) => return view! { <ErrorPanel error /> }.into_any(),
                    };
                    let (heading, intro) = match info.purpose.as_str() {
                        "setup" => (
                            "Set up Here Today".to_owned(),
                            "You are the first manager. Your account can invite everyone else.".to_owned(),
                        ),
                        "reset" => (
                            "Choose a new password".to_owned(),
                            format!("For {}. Every other sign-in to this account ends.", info.email),
                        ),
                        _ => (
                            format!("Welcome, {}", info.name),
                            format!("Choose a password for {}.", info.email),
                        ),
                    };
                    let setup = info.purpose == "setup";
                    view! {
                        <header class="page-header">
                            <h1>{heading}</h1>
                            <p>{intro}</p>
                        </header>
                        <ActionForm action attr:class="panel form">
                            <input type="hidden" name="token" value=token />
                            {(setup && info.needs_setting).then(|| view! {
                                <label>
                                    <span>"Nursery name"</span>
                                    <input type="text" name="setting_name" required maxlength="100" />
                                </label>
                            })}
                            {setup.then(|| view! {
                                <label>
                                    <span>"Your name"</span>
                                    <input type="text" name="name" autocomplete="name" required maxlength="100" />
                                </label>
                                <label>
                                    <span>"Your email"</span>
                                    <input type="email" name="email" autocomplete="username" required />
                                </label>
                            })}
                            <label>
                                <span>"Password (at least 10 characters)"</span>
                                <input
                                    type="password"
                                    name="password"
                                    autocomplete="new-password"
                                    minlength="10"
                                    required
                                />
                            </label>
                            <FormError error=failure(action.value()) />
                            <button type="submit" class="button primary">"Save and sign in"</button>
                        </ActionForm>
                    }
                    .into_any()
                })}
            </Suspense>
        </main>
    }
}

/// Enrols the browser as a room tablet or lobby display with a pairing code.
#[component]
pub fn EnrolPage() -> impl IntoView {
    let action = ServerAction::<EnrolDevice>::new();
    view! {
        <main class="page narrow">
            <header class="page-header">
                <h1>"Enrol this tablet"</h1>
                <p>
                    "A manager makes a pairing code under Tablets and displays. Type it here: "
                    "this tablet then opens its room's register every time, with or without a network."
                </p>
            </header>
            <ActionForm action attr:class="panel form">
                <label>
                    <span>"Pairing code"</span>
                    <input
                        class="code-input"
                        type="text"
                        name="code"
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                        placeholder="ABCD-EFGH"
                        required
                    />
                </label>
                <FormError error=failure(action.value()) />
                <button type="submit" class="button primary">"Enrol"</button>
            </ActionForm>
        </main>
    }
}

/// Shows the signed-in person's account: the room tablet PIN and signing out.
#[component]
pub fn AccountPage() -> impl IntoView {
    let pin = ServerAction::<SetMyPin>::new();
    let account = Resource::new(move || pin.version().get(), |_| load_account());
    let sign_out = ServerAction::<SignOut>::new();
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    view! {
        <main class="page narrow">
            <Suspense fallback=|| view! { <p class="loading">"Loading your account…"</p> }>
                {move || Suspend::new(async move {
                    let account = match account.await {
                        Ok(account) => account,
                        Err(error) => return view! { <ErrorPanel error /> }.into_any(),
                    };
                    let pin_state = if account.has_pin {
                        "You have a PIN. Set a new one below to change it."
                    } else {
                        "You have no PIN yet, so your name is not offered on room tablets."
                    };
                    view! {
                        <p>
                            <a class="back" href="/" rel="external">"← Back to the start"</a>
                        </p>
                        <header class="page-header">
                            <p class="eyebrow">"Your account"</p>
                            <h1>{account.name}</h1>
                            <p>{account.email} " · " {account.role}</p>
                        </header>
                        {account.staff.then(|| view! {
                            <section class="panel" aria-labelledby="pin-heading">
                                <h2 id="pin-heading">"Room tablet PIN"</h2>
                                <p>{pin_state}</p>
                                <ActionForm action=pin attr:class="form">
                                    <label>
                                        <span>"New 4-digit PIN"</span>
                                        <input
                                            class="code-input"
                                            type="password"
                                            name="pin"
                                            inputmode="numeric"
                                            pattern="[0-9]{4}"
                                            maxlength="4"
                                            autocomplete="off"
                                            required
                                        />
                                    </label>
                                    <FormError error=failure(pin.value()) />
                                    <button type="submit" class="button primary">"Save PIN"</button>
                                </ActionForm>
                            </section>
                        })}
                        <section class="panel" aria-labelledby="sign-out-heading">
                            <h2 id="sign-out-heading">"Sign out"</h2>
                            <ActionForm action=sign_out attr:class="form inline">
                                <button type="submit" class="button secondary">"Sign out"</button>
                            </ActionForm>
                            <p>"Lost a phone, or signed in on a shared computer? Sign out on every device at once:"</p>
                            <ActionForm action=everywhere attr:class="form inline">
                                <button type="submit" class="button secondary">"Sign out everywhere"</button>
                            </ActionForm>
                        </section>
                    }
                    .into_any()
                })}
            </Suspense>
        </main>
    }
}
