//! Command-line and environment configuration, parsed once at start-up.

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

/// Here Today: the attendance register for early-years settings.
#[derive(Debug, Parser)]
#[command(name = "here-today", version)]
pub struct Config {
    /// SQLite database file; created when missing.
    #[arg(
        long,
        env = "HERE_TODAY_DATABASE",
        default_value = "./here-today.db",
        global = true
    )]
    pub database: PathBuf,

    #[command(flatten)]
    pub serve: ServeArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Command to run. With no command the binary serves the app.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the app over HTTP (the default).
    Serve,
    /// Create the demo nursery in an empty database, then exit.
    Demo {
        /// Seed for the generated names, bookings and history.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Import children and contacts from a CSV file: all rows or none.
    Import {
        /// The CSV file, as exported from a spreadsheet.
        file: PathBuf,
        /// Create rooms and key persons named in the file that do not exist yet.
        #[arg(long)]
        create_missing: bool,
    },
    /// Import a past register from a CSV file in the columns of the register export into the
    /// first setting: all rows or none.
    ImportHistory {
        /// The CSV file: child,date,session,status,arrival,departure,reason,recorded_by.
        file: PathBuf,
    },
    /// Make a one-time pairing code to enrol a room tablet (or, with no room, a lobby display),
    /// as a manager can on the Tablets and displays page.
    PairingCode {
        /// The room's name, such as "Toddlers".
        #[arg(long)]
        room: Option<String>,
        /// A name for the device, such as "Toddlers tablet".
        #[arg(long, default_value = "Room tablet")]
        name: String,
    },
}

/// Options for serving.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(
        long,
        env = "HERE_TODAY_BIND",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub bind: SocketAddr,

    /// Create the demo nursery first when the database contains no setting yet.
    #[arg(long, env = "HERE_TODAY_DEMO", global = true)]
    pub demo: bool,

    /// The address people open the app at, such as https://register.example.org; one-time
    /// links start with it, and cookies are marked Secure when it starts with https.
    #[arg(long, env = "HERE_TODAY_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// SMTP server for emailing invitation and reset links, such as
    /// smtps://user:password@smtp.example.org; without it, managers copy the links themselves.
    #[arg(
        long,
        env = "HERE_TODAY_SMTP_URL",
        global = true,
        requires = "mail_from"
    )]
    pub smtp_url: Option<String>,

    /// Sender of those emails, such as "Willow Tree Nursery <register@example.org>".
    #[arg(long, env = "HERE_TODAY_MAIL_FROM", global = true)]
    pub mail_from: Option<String>,

    /// Run the clock as if it were this instant at start-up (RFC 3339, for demos and tests),
    /// moving on in real time from there.
    #[arg(long, env = "HERE_TODAY_PRETEND_NOW", global = true)]
    pub pretend_now: Option<DateTime<Utc>>,
}
