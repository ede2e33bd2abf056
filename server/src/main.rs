//! The `here-today` binary: serve the app, create the demo nursery, or import a CSV file.

use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use app::clock::Clock;
use server::config::{Command, Config, ServeArgs};
use server::{db, demo, import};

#[tokio::main]
async fn main() -> ExitCode {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    tracing_subscriber::fmt().with_env_filter(filter).init();
    let config = Config::parse();
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // The message can quote CSV values (names, phone numbers), so it goes to the
            // terminal only, never to the log.
            tracing::error!("command failed; the reason is printed on standard error");
            eprintln!("here-today: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> Result<(), String> {
    let pool = db::open(&config.database)
        .await
        .map_err(|error| error.to_string())?;
    match config.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(pool, config.serve).await,
        Command::Demo { seed } => {
            let now = config.serve.pretend_now.unwrap_or_else(chrono::Utc::now);
            let summary = demo::create_demo_setting(&pool, seed, now)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "Created the demo nursery: {} rooms, {} children, {} register entries.",
                summary.rooms, summary.children, summary.events
            );
            Ok(())
        }
        Command::PairingCode { room, name } => {
            let now = config.serve.pretend_now.unwrap_or_else(chrono::Utc::now);
            let code = server::enrol::pairing_code(&pool, room.as_deref(), &name, now).await?;
            println!("{code}");
            Ok(())
        }
        Command::Import {
            file,
            create_missing,
        } => {
            let bytes = std::fs::read(&file)
                .map_err(|error| format!("could not read {}: {error}", file.display()))?;
            let options = import::ImportOptions { create_missing };
            let summary = import::import_children(&pool, &bytes, options)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "Imported {} children and {} contacts ({} rooms and {} staff created).",
                summary.children, summary.contacts, summary.rooms_created, summary.staff_created
            );
            Ok(())
        }
        Command::ImportHistory { file } => {
            let now = config.serve.pretend_now.unwrap_or_else(chrono::Utc::now);
            let summary = server::history::run_import_history(&pool, &file, now).await?;
            println!("{summary}");
            Ok(())
        }
    }
}

async fn serve(pool: sqlx::SqlitePool, args: ServeArgs) -> Result<(), String> {
    let clock = args.pretend_now.map(Clock::starting_at).unwrap_or_default();
    if args.demo {
        let settings: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM settings")
            .fetch_one(&pool)
            .await
            .map_err(|e| e.to_string())?;
        if settings.0 == 0 {
            let summary = demo::create_demo_setting(&pool, 42, clock.now())
                .await
                .map_err(|e| e.to_string())?;
            tracing::info!(
                children = summary.children,
                events = summary.events,
                "created the demo nursery"
            );
        }
    }
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .map_err(|error| format!("could not listen on {}: {error}", args.bind))?;
    let site = server::site_for(args.public_url.as_deref(), &listener);
    if let Some(token) = app::store::accounts::setup_link_if_needed(&pool, clock.now())
        .await
        .map_err(|e| e.to_string())?
    {
        // The link is the way in for the first manager, so it goes to the console (standard
        // output), never to the log.
        println!(
            "No one has an account yet. Open this link to set up the first manager; it works once, for 7 days:\n\n    {}/setup/{token}\n",
            site.public_url
        );
    }
    tracing::info!(address = %args.bind, version = env!("CARGO_PKG_VERSION"), "serving Here Today");
    let mailer = match (&args.smtp_url, &args.mail_from) {
        (Some(url), Some(from)) => {
            let mailer = server::mail::SmtpMailer::new(url, from)?;
            tracing::info!("one-time links are emailed over SMTP");
            Some(app::auth::api::MailSender(std::sync::Arc::new(mailer)))
        }
        _ => None,
    };
    server::serve_with(listener, pool, clock, args.public_url, mailer)
        .await
        .map_err(|error| error.to_string())
}
