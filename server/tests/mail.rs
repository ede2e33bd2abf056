//! Invitation links sent by email, through a small SMTP server the test runs on loopback.

mod common;

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use common::{manager_account, seed, signed_in_client, spawn_app_with, wednesday_morning};

/// The messages the SMTP server took: the envelope recipient and the whole DATA text.
type Inbox = Arc<Mutex<Vec<(String, String)>>>;

/// Starts an SMTP server that takes every message, or refuses every recipient when `refuse` is
/// true, and returns its address and the messages it takes.
async fn smtp_server(refuse: bool) -> (String, Inbox) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let inbox: Inbox = Arc::default();
    let kept = inbox.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let kept = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 test ESMTP\r\n").await.unwrap();
                let mut recipient = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let command = line.to_ascii_uppercase();
                    let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO")
                    {
                        b"250 test\r\n"
                    } else if command.starts_with("RCPT TO") {
                        recipient = line[8..].trim().to_owned();
                        if refuse {
                            b"550 no such mailbox\r\n"
                        } else {
                            b"250 ok\r\n"
                        }
                    } else if command == "DATA" {
                        write.write_all(b"354 go on\r\n").await.unwrap();
                        let mut data = String::new();
                        while let Ok(Some(line)) = lines.next_line().await {
                            if line == "." {
                                break;
                            }
                            data.push_str(&line);
                            data.push('\n');
                        }
                        kept.lock().unwrap().push((recipient.clone(), data));
                        b"250 taken\r\n"
                    } else if command == "QUIT" {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        return;
                    } else {
                        b"250 ok\r\n"
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (address, inbox)
}

/// Starts the app emailing through a test SMTP server (which refuses every recipient when
/// `refuse` is true) and returns it, the server's inbox, and a signed-in manager's client.
async fn app_with_smtp(refuse: bool) -> (common::TestApp, Inbox, reqwest::Client) {
    let (smtp, inbox) = smtp_server(refuse).await;
    let mailer = server::mail::SmtpMailer::new(
        &format!("smtp://{smtp}"),
        "Test Nursery <register@test.example>",
    )
    .unwrap();
    let app = spawn_app_with(wednesday_morning(), Some(mailer)).await;
    let f = seed(&app.pool).await;
    manager_account(&app, &f).await;
    let manager = signed_in_client(&app, "manager@test.example").await;
    (app, inbox, manager)
}

async fn invite(app: &common::TestApp, client: &reqwest::Client) -> serde_json::Value {
    let f_child: (String,) = sqlx::query_as("SELECT id FROM children LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let response = client
        .post(format!("{}/api/invite", app.address))
        .form(&[
            ("email", "new.parent@test.example"),
            ("name", "New Parent"),
            ("role", "parent"),
            ("child", f_child.0.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitation_is_emailed() {
    let (app, inbox, manager) = app_with_smtp(false).await;

    let link = invite(&app, &manager).await;
    assert_eq!(link["emailed_to"], "new.parent@test.example", "{link}");
    let url = link["url"].as_str().unwrap();
    assert!(url.contains("/invite/"), "{url}");

    let messages = inbox.lock().unwrap().clone();
    assert_eq!(messages.len(), 1);
    let (recipient, data) = &messages[0];
    assert_eq!(recipient, "<new.parent@test.example>");
    assert!(
        data.contains("Subject: Your Here Today account at Test Nursery"),
        "{data}"
    );
    // Long lines may be wrapped by the quoted-printable encoding, so the token is looked for
    // with soft line breaks removed.
    let unwrapped = data.replace("=\n", "");
    let token = url.rsplit('/').next().unwrap();
    assert!(unwrapped.contains(token), "{data}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_email_still_shows_link() {
    let (app, inbox, manager) = app_with_smtp(true).await;

    let link = invite(&app, &manager).await;
    assert!(link["emailed_to"].is_null(), "{link}");
    let problem = link["email_problem"].as_str().unwrap();
    assert!(problem.contains("Copy the link"), "{problem}");
    assert!(link["url"].as_str().unwrap().contains("/invite/"));
    assert!(inbox.lock().unwrap().is_empty());
}

#[test]
fn bad_sender_address_is_named() {
    let error = server::mail::SmtpMailer::new("smtp://127.0.0.1:25", "not an address")
        .err()
        .unwrap();
    assert!(error.contains("\"not an address\""), "{error}");
}
