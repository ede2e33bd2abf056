//! The manager's pages: accounts and invitations, tablets and displays, and the audit trail;
//! and the parent's page of their own children.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{
    load_accounts, load_audit, load_devices, DecideHeldMark, InviteAccount, MakePairingCode,
    MakeResetLink, RevokeDevice, SetPinMinutes,
};
use super::model::{DeviceState, DeviceSummary};
use super::pages::{failure, FormError};
use crate::ui::ErrorPanel;

/// A table that scrolls sideways on a narrow screen, with one column heading per header.
#[component]
pub(crate) fn DataTable(
    headers: &'static [&'static str],
    #[prop(optional)] class: &'static str,
    #[prop(optional)] panel: bool,
    children: Children,
) -> impl IntoView {
    let headings = headers
        .iter()
        .map(|header| view! { <th scope="col">{*header}</th> })
        .collect_view();
    view! {
        <div class="table-scroll" class:panel=panel>
            <table class=class>
                <thead>
                    <tr>{headings}</tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}

/// Links between the manager's pages.
#[component]
pub(crate) fn ManageNav() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let links = [
        ("/manage/morning", "This morning"),
        ("/", "Rooms"),
        ("/today", "Whole setting today"),
        ("/manage/attendance", "Attendance"),
        ("/manage/letters", "Letters"),
        ("/manage/rules", "Thresholds"),
        ("/manage/import", "Import history"),
        ("/manage/lobby", "Lobby display"),
        ("/manage/accounts", "Accounts"),
        ("/manage/devices", "Tablets and displays"),
        ("/manage/audit", "Audit trail"),
        ("/account", "Your account"),
    ];
    let items = links
        .into_iter()
        .map(|(href, label)| {
            let current = move || (location.pathname.get() == href).then_some("page");
            view! { <a href=href aria-current=current>{label}</a> }
        })
        .collect_view();
    view! {
        <nav class="manage-nav" aria-label="Manage">
            {items}
        </nav>
    }
}

fn options(items: &[(uuid::Uuid, String)]) -> impl IntoView {
    items
        .iter()
        .map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> })
        .collect_view()
}

/// Accounts: the list, invitations and reset links.
#[component]
pub fn AccountsPage() -> impl IntoView {
    let invite = ServerAction::<InviteAccount>::new();
    let reset = ServerAction::<MakeResetLink>::new();
    let accounts = Resource::new(move || invite.version().get(), |_| load_accounts());
    let made_link = move || {
        invite
            .value()
            .get()
            .and_then(Result::ok)
            .or_else(|| reset.value().get().and_then(Result::ok))
    };
    view! {
        <main class="page">
            <ManageNav />
            <header class="page-header">
                <h1>"Accounts"</h1>
            </header>
            {move || made_link().map(|link| view! {
                <section class="panel made-link" aria-live="polite">
                    <h2>"One-time link"</h2>
                    {match (link.emailed_to.clone(), link.email_problem.clone()) {
                        (Some(address), _) => view! {
                            <p>"The link was emailed to " {address} ". It works once; you can also copy it here."</p>
                        }.into_any(),
                        (None, Some(problem)) => view! { <p class="form-error" role="alert">{problem}</p> }.into_any(),
                        (None, None) => view! { <p>"Copy this link and send it to the person. It works once."</p> }.into_any(),
                    }}
                    <input class="link-output" type="text" readonly value=link.url aria-label="One-time link" />
                </section>
            })}
            <FormError error=failure(reset.value()) />
            <Suspense fallback=|| view! { <p class="loading">"Loading accounts…"</p> }>
                {move || Suspend::new(async move {
                    let view = match accounts.await {
                        Ok(view) => view,
                        Err(error) => return view! { <ErrorPanel error /> }.into_any(),
                    };
                    let rows = view.accounts.into_iter().map(|account| {
                        let state = if account.active { "Active" } else { "Invited" };
                        let role = match account.role.as_str() {
                            "manager" => "Manager",
                            "practitioner" => "Practitioner",
                            "parent" => "Parent or carer",
                            other => other,
                        }
                        .to_owned();
                        view! {
                            <tr>
                                <th scope="row">{account.name}</th>
                                <td>{account.email}</td>
                                <td>{role}</td>
                                <td>{account.links.join(", ")}</td>
                                <td>{state}</td>
                                <td>
                                    <ActionForm action=reset attr:class="form inline">
                                        <input type="hidden" name="account" value=account.id.to_string() />
                                        <button type="submit" class="button secondary small">"Reset link"</button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    }).collect_view();
                    view! {
                        <section class="panel">
                            <h2>"Invite someone"</h2>
                            <ActionForm action=invite attr:class="form grid">
                                <label><span>"Name"</span><input type="text" name="name" required maxlength="100" /></label>
                                <label><span>"Email"</span><input type="email" name="email" required /></label>
                                <label>
                                    <span>"Role"</span>
                                    <select name="role">
                                        <option value="practitioner">"Practitioner"</option>
                                        <option value="parent">"Parent or carer"</option>
                                        <option value="manager">"Manager"</option>
                                    </select>
                                </label>
                                <label>
                                    <span>"Room (practitioners)"</span>
                                    <select name="room"><option value="">"None"</option>{options(&view.rooms)}</select>
                                </label>
                                <label>
                                    <span>"Child (parents)"</span>
                                    <select name="child"><option value="">"None"</option>{options(&view.children)}</select>
                                </label>
                                <label>
                                    <span>"Staff record (staff)"</span>
                                    <select name="staff"><option value="">"None"</option>{options(&view.staff)}</select>
                                </label>
                                <FormError error=failure(invite.value()) />
                                <button type="submit" class="button primary">"Make invitation link"</button>
                            </ActionForm>
                        </section>
                        <section class="panel">
                            <h2>"Everyone with an account"</h2>
                            <DataTable headers=&["Name", "Email", "Role", "Rooms or children", "State", "Password"]>{rows}</DataTable>
                        </section>
                    }
                    .into_any()
                })}
            </Suspense>
        </main>
    }
}

fn device_state_words(device: &DeviceSummary) -> String {
    match &device.state {
        DeviceState::Waiting { expires_at } => format!(
            "Waiting for its pairing code (until {} UTC)",
            expires_at.format("%H:%M")
        ),
        DeviceState::Enrolled => "Enrolled".to_owned(),
        DeviceState::Revoked { at } => format!("Removed {}", at.format("%-d %b %H:%M UTC")),
        DeviceState::Expired => "Pairing code expired unused".to_owned(),
    }
}

/// Room tablets and lobby displays: enrol, see, revoke, and decide on held marks.
#[component]
pub fn DevicesPage() -> impl IntoView {
    let pairing = ServerAction::<MakePairingCode>::new();
    let revoke = ServerAction::<RevokeDevice>::new();
    let decide = ServerAction::<DecideHeldMark>::new();
    let minutes = ServerAction::<SetPinMinutes>::new();
    let devices = Resource::new(
        move || {
            (
                pairing.version().get(),
                revoke.version().get(),
                decide.version().get(),
                minutes.version().get(),
            )
        },
        |_| load_devices(),
    );
    view! {
        <main class="page">
            <ManageNav />
            <header class="page-header">
                <h1>"Tablets and displays"</h1>
            </header>
            {move || pairing.value().get().and_then(Result::ok).map(|code| view! {
                <section class="panel made-link" aria-live="polite">
                    <h2>"Pairing code"</h2>
                    <p class="pairing-code">{code.code}</p>
                    <p>
                        "On the tablet, open this site, choose “Enrol this tablet” and type the code. "
                        "It works once, until " {code.expires_at.format("%H:%M UTC").to_string()} "."
                    </p>
                </section>
            })}
            {move || decide.value().get().and_then(Result::ok).map(|outcome| view! {
                <p class="panel notice" role="status">{outcome}</p>
            })}
            <FormError error=failure(revoke.value()) />
            <FormError error=failure(decide.value()) />
            <Suspense fallback=|| view! { <p class="loading">"Loading devices…"</p> }>
                {move || Suspend::new(async move {
                    let view = match devices.await {
                        Ok(view) => view,
                        Err(error) => return view! { <ErrorPanel error /> }.into_any(),
                    };
                    let rows = view.devices.into_iter().map(|device| {
                        let state = device_state_words(&device);
                        let seen = device
                            .last_seen_at
                            .map(|at| at.format("%-d %b %H:%M UTC").to_string())
                            .unwrap_or_else(|| "Never".to_owned());
                        let can_revoke = !matches!(device.state, DeviceState::Revoked { .. });
                        let held = device.held.into_iter().map(|mark| view! {
                            <li class="held-mark">
                                <span>{mark.child_name} ": " {mark.summary}</span>
                                <ActionForm action=decide attr:class="form inline">
                                    <input type="hidden" name="mark" value=mark.id.to_string() />
                                    <input type="hidden" name="accept" value="true" />
                                    <button type="submit" class="button primary small">"Accept"</button>
                                </ActionForm>
                                <ActionForm action=decide attr:class="form inline">
                                    <input type="hidden" name="mark" value=mark.id.to_string() />
                                    <input type="hidden" name="accept" value="false" />
                                    <button type="submit" class="button secondary small">"Reject"</button>
                                </ActionForm>
                            </li>
                        }).collect_view();
                        view! {
                            <tr>
                                <th scope="row">{device.name}</th>
                                <td>{device.place}</td>
                                <td>{state}</td>
                                <td>{seen}</td>
                                <td>
                                    {can_revoke.then(|| view! {
                                        <ActionForm action=revoke attr:class="form inline">
                                            <input type="hidden" name="device" value=device.id.to_string() />
                                            <button type="submit" class="button secondary small">"Remove"</button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                            <tr class="held-row">
                                <td colspan="5">
                                    <ul class="held-marks" aria-label="Marks kept from this device">{held}</ul>
                                </td>
                            </tr>
                        }
                    }).collect_view();
                    view! {
                        <section class="panel">
                            <h2>"Enrol a tablet or display"</h2>
                            <ActionForm action=pairing attr:class="form grid">
                                <label>
                                    <span>"Name"</span>
                                    <input type="text" name="name" required maxlength="60" placeholder="Toddlers tablet" />
                                </label>
                                <label>
                                    <span>"Room"</span>
                                    <select name="room">
                                        {options(&view.rooms)}
                                        <option value="">"Lobby display (no room)"</option>
                                    </select>
                                </label>
                                <FormError error=failure(pairing.value()) />
                                <button type="submit" class="button primary">"Make pairing code"</button>
                            </ActionForm>
                        </section>
                        <section class="panel">
                            <h2>"Who is marking"</h2>
                            <p>
                                "On a room tablet, a practitioner enters their PIN once; the tablet then "
                                "remembers them until this many minutes pass without a mark."
                            </p>
                            <ActionForm action=minutes attr:class="form grid">
                                <label>
                                    <span>"Minutes"</span>
                                    <input
                                        type="number"
                                        name="minutes"
                                        min="1"
                                        max="480"
                                        required
                                        value=view.pin_remember_minutes.to_string()
                                    />
                                </label>
                                <FormError error=failure(minutes.value()) />
                                <button type="submit" class="button secondary">"Save"</button>
                            </ActionForm>
                        </section>
                        <section class="panel">
                            <h2>"Devices"</h2>
                            <DataTable headers=&["Device", "Room", "State", "Last seen", "Remove"]>{rows}</DataTable>
                        </section>
                    }
                    .into_any()
                })}
            </Suspense>
        </main>
    }
}

/// Shows the audit trail, newest first, filtered by the action or text in the query string.
#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let query = query.read();
        (query.get("action"), query.get("text"))
    };
    let rows = Resource::new(filter, |(action, text)| load_audit(action, text));
    view! {
        <main class="page">
            <ManageNav />
            <header class="page-header">
                <h1>"Audit trail"</h1>
                <p>"Every sign-in, enrolment, removal, account change and correction. Nobody can edit it."</p>
            </header>
            <form class="panel form grid" method="get" action="/manage/audit">
                <label>
                    <span>"What happened"</span>
                    <select name="action">
                        <option value="">"Everything"</option>
                        <option value="sign_in">"Sign-ins"</option>
                        <option value="sign_in_failed">"Failed sign-ins"</option>
                        <option value="device_enrolled">"Enrolments"</option>
                        <option value="device_revoked">"Removed devices"</option>
                        <option value="account_invited">"Invitations"</option>
                        <option value="mark_corrected">"Corrections"</option>
                    </select>
                </label>
                <label>
                    <span>"Containing"</span>
                    <input type="search" name="text" />
                </label>
                <button type="submit" class="button secondary">"Filter"</button>
            </form>
            <Suspense fallback=|| view! { <p class="loading">"Loading the audit trail…"</p> }>
                {move || Suspend::new(async move {
                    let lines = match rows.await {
                        Ok(lines) => lines,
                        Err(error) => return view! { <ErrorPanel error /> }.into_any(),
                    };
                    let body = lines.into_iter().map(|line| view! {
                        <tr>
                            <td>{line.at.format("%-d %b %Y %H:%M:%S UTC").to_string()}</td>
                            <td>{line.action.replace('_', " ")}</td>
                            <td>{line.actor}</td>
                            <td>{line.origin}</td>
                            <td>{line.subject}</td>
                            <td>{line.detail}</td>
                        </tr>
                    }).collect_view();
                    view! {
                        <DataTable headers=&["When", "What", "Who", "From", "About", "Details"] class="audit-table" panel=true>{body}</DataTable>
                    }
                    .into_any()
                })}
            </Suspense>
        </main>
    }
}
