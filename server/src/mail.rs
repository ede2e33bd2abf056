//! Email over SMTP, for invitation and password-reset links, when the server is given an SMTP
//! address.

use std::future::Future;
use std::pin::Pin;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use app::auth::api::Mailer;

/// Sends email through one SMTP server.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    /// Builds a mailer from an SMTP URL and a sender address.
    ///
    /// The URL takes lettre's forms: `smtps://user:password@host` (TLS, port 465),
    /// `smtp://user:password@host:587?tls=required` (STARTTLS), or `smtp://host:port` with no
    /// encryption, for a relay on the same machine.
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|error| format!("invalid SMTP URL: {error}; see the README's Configuration"))?
            .build();
        let from = from.parse::<Mailbox>().map_err(|error| {
            format!("invalid sender address \"{from}\": {error}; use a form such as \"Here Today <register@example.org>\"")
        })?;
        Ok(Self { transport, from })
    }
}

impl Mailer for SmtpMailer {
    fn send(
        &self,
        to: String,
        subject: String,
        body: String,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + '_>> {
        Box::pin(async move {
            let to = to
                .parse::<Mailbox>()
                .map_err(|_| "the account's email address is not valid".to_owned())?;
            let message = Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(subject)
                .body(body)
                .map_err(|error| format!("the email could not be built: {error}"))?;
            self.transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|error| format!("the SMTP server did not take it: {error}"))
        })
    }
}
