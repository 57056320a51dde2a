//! The real `sync-server` binary as a process, and a phone's HTTP/1.1 over a plain socket, for
//! the tests and benchmarks that kill or time the server from outside.
#![allow(dead_code)] // Each test file uses its own part of this.

use baoxue_domain::ids::SchoolId;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const BINARY: &str = env!("CARGO_BIN_EXE_sync-server");

/// The server binary to start: `BAOXUE_SERVER_BINARY` if set (to time another build of the
/// server with the same benchmark, as docs/benchmarks.md's before and after), else this build's.
pub fn binary() -> String {
    std::env::var("BAOXUE_SERVER_BINARY").unwrap_or_else(|_| BINARY.to_owned())
}

/// Runs an operator command and answers what it printed.
pub fn operator(db: &str, args: &[&str]) -> String {
    let output = Command::new(binary()).arg("--db").arg(db).args(args).output().unwrap();
    assert!(output.status.success(), "sync-server {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// The word after `prefix` in `text`.
pub fn word_after<'a>(text: &'a str, prefix: &str) -> &'a str {
    let start = text.find(prefix).unwrap_or_else(|| panic!("{prefix:?} not in {text:?}")) + prefix.len();
    text[start..].split_whitespace().next().unwrap()
}

/// A one-time code for `school`, issued by the operator command as an operator does.
pub fn enrollment_code(db: &str, school: SchoolId) -> String {
    word_after(&operator(db, &["enroll", "--school", &school.to_string()]), ": ").to_owned()
}

/// One server process; killed with SIGKILL when dropped.
pub struct Server {
    child: Child,
    pub address: String,
}

impl Server {
    pub fn start(db: &str, dist: &Path) -> Server {
        Server::start_with(db, dist, &[])
    }

    /// `start` with more environment, as `BAOXUE_DEVICE_BURST`.
    pub fn start_with(db: &str, dist: &Path, env: &[(&str, &str)]) -> Server {
        Server::start_printing(db, dist, env).0
    }

    /// `start_with`, also answering the line the server printed when it started.
    pub fn start_printing(db: &str, dist: &Path, env: &[(&str, &str)]) -> (Server, String) {
        let mut child = Command::new(binary())
            .args(["--db", db, "serve", "--listen", "127.0.0.1:0", "--dist"])
            .arg(dist)
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let address = word_after(&line, "running at http://").trim_end_matches('/').to_owned();
        (Server { child, address }, line)
    }

    /// SIGTERM, as `systemctl stop` or `docker stop` sends: the server should stop gracefully.
    pub fn terminate(&self) {
        let sent = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        assert!(sent.success(), "kill -TERM failed");
    }

    /// How the process ended, once it has, within `limit`; `None` if it is still running.
    pub fn exit_within(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let deadline = std::time::Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            if std::time::Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Ctrl-C (SIGINT): the server stops taking requests, writes what it noted in memory, and
    /// exits; answers how.
    pub fn interrupt(&mut self) -> std::process::ExitStatus {
        let sent = Command::new("kill").args(["-INT", &self.child.id().to_string()]).status().unwrap();
        assert!(sent.success(), "kill -INT failed");
        self.child.wait().unwrap()
    }

    /// SIGKILL: no graceful shutdown, no flush, whatever request is in flight is cut.
    pub fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request; `Err` when the server is gone or the answer was cut.
pub fn http(address: &str, method: &str, path: &str, token: &str, body: &str) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(address)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let cut = || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "the answer was cut");
    let (head, body) = answer.split_once("\r\n\r\n").ok_or_else(cut)?;
    let status: u16 = head.split_whitespace().nth(1).and_then(|code| code.parse().ok()).ok_or_else(cut)?;
    let length: usize = head
        .lines()
        .find_map(|line| line.to_ascii_lowercase().strip_prefix("content-length:").map(|n| n.trim().to_owned()))
        .and_then(|n| n.parse().ok())
        .ok_or_else(cut)?;
    if body.len() != length {
        return Err(cut());
    }
    Ok((status, body.to_owned()))
}

/// A dist folder with just an index.html: the server refuses to start without one.
pub fn dist() -> tempfile::TempDir {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<!doctype html><title>保学</title>").unwrap();
    dist
}

/// Adds a school with the operator command; answers its id.
pub fn new_school(db: &str, name: &str) -> SchoolId {
    let added = operator(db, &["school", "add", "--county", "城关县", "--town", "石门镇", "--name", name]);
    word_after(&added, "school ").parse().unwrap()
}
