//! The real `sync-server serve` process: it stops gracefully on SIGTERM (a request in flight
//! gets its answer, then the process exits 0), refuses unusable TLS files with a message naming
//! them, and never prints the database's password.

mod server_process;
mod support;

use server_process::{dist, Server, BINARY};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::Duration;

#[test]
fn sigterm_lets_the_request_in_flight_finish_then_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baoxue.db").to_str().unwrap().to_owned();
    let dist = dist();
    let mut server = Server::start(&db, dist.path());

    // A phone on a slow link is halfway through sending its request when the server is told
    // to stop.
    let body = r#"{"code": "NO-SUCH-CODE", "device": "00000000-0000-0000-0000-000000000001", "label": "phone"}"#;
    let (first_half, second_half) = body.split_at(body.len() / 2);
    let mut phone = TcpStream::connect(&server.address).unwrap();
    phone.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        phone,
        "POST /api/enroll HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{first_half}",
        server.address,
        body.len()
    )
    .unwrap();
    phone.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    server.terminate();

    assert_eq!(server.exit_within(Duration::from_millis(500)), None, "the server stopped with a request in flight");
    // It takes no new connection meanwhile.
    assert!(TcpStream::connect(&server.address).is_err(), "a stopping server still accepts connections");

    phone.write_all(second_half.as_bytes()).unwrap();
    let mut answer = String::new();
    phone.read_to_string(&mut answer).unwrap();
    // Read to the end: the server closes the connection after this answer.
    assert!(answer.starts_with("HTTP/1.1 4"), "the request in flight got no answer: {answer:?}");

    let status = server.exit_within(Duration::from_secs(5)).expect("the server still runs 5 s after SIGTERM");
    assert!(status.success(), "the server ended with {status} on SIGTERM");
}

#[test]
fn an_idle_server_exits_0_at_once_on_sigterm_even_with_a_kept_alive_connection() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baoxue.db").to_str().unwrap().to_owned();
    let dist = dist();
    let mut server = Server::start(&db, dist.path());
    // A browser keeps its connection open after an answer, for the next request.
    let mut browser = TcpStream::connect(&server.address).unwrap();
    write!(browser, "GET /api/health HTTP/1.1\r\nHost: {}\r\n\r\n", server.address).unwrap();
    let mut answer = [0; 1024];
    let read = browser.read(&mut answer).unwrap();
    assert!(answer[..read].starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&answer[..read]));

    server.terminate();
    let status = server.exit_within(Duration::from_secs(2)).expect("the server still runs 2 s after SIGTERM");
    assert!(status.success(), "the server ended with {status} on SIGTERM");
}

#[test]
fn unusable_tls_files_are_named_and_the_server_does_not_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baoxue.db");
    let dist = dist();
    let not_pem = dir.path().join("fullchain.pem");
    std::fs::write(&not_pem, "this is not a certificate").unwrap();
    let missing = dir.path().join("privkey.pem");
    for (cert, key, named) in [(&missing, &missing, &missing), (&not_pem, &missing, &not_pem)] {
        let output = Command::new(BINARY)
            .arg("--db")
            .arg(&db)
            .args(["serve", "--listen", "127.0.0.1:0", "--dist"])
            .arg(dist.path())
            .arg("--tls-cert")
            .arg(cert)
            .arg("--tls-key")
            .arg(key)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{said}");
        assert!(said.contains(named.to_str().unwrap()), "the message should name {}: {said}", named.display());
        assert!(!said.contains("panicked"), "{said}");
        assert!(output.stdout.is_empty(), "it said it runs: {}", String::from_utf8_lossy(&output.stdout));
    }
    // Nothing was opened: the database file was not created.
    assert!(!db.exists());
}

#[test]
fn the_start_line_never_shows_the_database_password() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let Some(url) = runtime.block_on(support::fresh_postgres_url()) else { return };
    // A URL without a password gets one: the test server trusts local connections, so it
    // accepts any.
    let Some((scheme, rest)) = url.split_once("://") else { panic!("not a URL: {url}") };
    let (with_password, password) = match rest.split_once('@') {
        Some((user, _)) if user.contains(':') => (url.clone(), user.split_once(':').unwrap().1.to_owned()),
        Some((user, host)) => (format!("{scheme}://{user}:s3cret-w0rd@{host}"), "s3cret-w0rd".to_owned()),
        None => (format!("{scheme}://postgres:s3cret-w0rd@{rest}"), "s3cret-w0rd".to_owned()),
    };
    let dist = dist();
    let (_server, line) = Server::start_printing(&with_password, dist.path(), &[]);
    assert!(line.contains(":***@"), "{line}");
    assert!(!line.contains(&password), "the start line shows the password: {line}");
}
