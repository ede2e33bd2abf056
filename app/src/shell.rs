//! The HTML document and the routes.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use leptos_router::SsrMode;

use crate::auth::manage::{AccountsPage, AuditPage, DevicesPage};
use crate::auth::pages::{AccountPage, EnrolPage, LinkPage, SignInPage};
use crate::build::{build_id, build_label, BUILD_META};
use crate::followup::child::ChildPage;
use crate::followup::dashboard::DashboardPage;
use crate::followup::import::ImportPage;
use crate::followup::letters::{LetterPage, LettersPage};
use crate::followup::morning::MorningPage;
use crate::followup::rules_page::RulesPage;
use crate::home::{HomePage, SettingTodayPage};
use crate::lobby::page::{LobbyPage, LobbySettingsPage};
use crate::parents::page::MyChildrenPage;
use crate::register::audit::ChildDayPage;
use crate::register::page::RegisterPage;

/// Renders the whole HTML document around the app, on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let build = build_id();
    view! {
        <!DOCTYPE html>
        <html lang="en-GB">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#1f5f5b" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="apple-touch-icon" href="/icons/apple-touch-icon.png" sizes="180x180" />
                <meta name=BUILD_META content=build.clone() />
                <AutoReload options=options.clone() />
                <HydrationScripts options root=format!("/b/{build}") />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Renders the app: routes to the room chooser, the room register, the whole-setting view and the
/// audit view of a child's day.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Effects run only in the browser: the attribute shows tests
    // the page is interactive.
    Effect::new(|_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
        crate::sync::device::register_service_worker();
    });
    view! {
        <Stylesheet id="leptos" href=format!("/b/{}/pkg/here-today.css", build_id()) />
        <Title text="Here Today" />
        <Router>
            <AppBar />
            <Routes fallback=|| view! { <NotFound /> }>
                <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                <Route path=path!("/today") view=SettingTodayPage ssr=SsrMode::Async />
                <Route path=path!("/rooms/:room") view=RegisterPage ssr=SsrMode::Async />
                <Route path=path!("/children/:child/days/:date") view=ChildDayPage ssr=SsrMode::Async />
                <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async />
                <Route path=path!("/setup/:token") view=LinkPage ssr=SsrMode::Async />
                <Route path=path!("/invite/:token") view=LinkPage ssr=SsrMode::Async />
                <Route path=path!("/reset/:token") view=LinkPage ssr=SsrMode::Async />
                <Route path=path!("/enrol") view=EnrolPage ssr=SsrMode::Async />
                <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                <Route path=path!("/manage/accounts") view=AccountsPage ssr=SsrMode::Async />
                <Route path=path!("/manage/devices") view=DevicesPage ssr=SsrMode::Async />
                <Route path=path!("/manage/audit") view=AuditPage ssr=SsrMode::Async />
                <Route path=path!("/my") view=MyChildrenPage ssr=SsrMode::Async />
                <Route path=path!("/manage/morning") view=MorningPage ssr=SsrMode::Async />
                <Route path=path!("/manage/attendance") view=DashboardPage ssr=SsrMode::Async />
                <Route path=path!("/manage/children/:child") view=ChildPage ssr=SsrMode::Async />
                <Route path=path!("/manage/children/:child/letters/:kind") view=LetterPage ssr=SsrMode::Async />
                <Route path=path!("/manage/letters") view=LettersPage ssr=SsrMode::Async />
                <Route path=path!("/manage/rules") view=RulesPage ssr=SsrMode::Async />
                <Route path=path!("/manage/import") view=ImportPage ssr=SsrMode::Async />
                <Route path=path!("/manage/lobby") view=LobbySettingsPage ssr=SsrMode::Async />
                <Route path=path!("/lobby") view=LobbyPage ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}

/// Renders the slim bar with the product name, linking back to the room chooser.
#[component]
fn AppBar() -> impl IntoView {
    view! {
        <header class="app-bar">
            <div class="app-bar-inner">
                <a href="/" rel="external">
                    <svg viewBox="0 0 64 64" aria-hidden="true">
                        <path
                            d="M18 33l9 9 19-20"
                            fill="none"
                            stroke="currentColor"
                            stroke-width="7"
                            stroke-linecap="round"
                            stroke-linejoin="round"
                        />
                    </svg>
                    "Here Today"
                </a>
                <span class="build">{build_label()}</span>
            </div>
        </header>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="page">
            <h1>"Page not found"</h1>
            <p>
                <a href="/">"Go to the rooms"</a>
            </p>
        </main>
    }
}
