//! The `sync-server` command: `serve`, and the operator's commands.

use baoxue_domain::ids::{DeviceId, SchoolId};
use baoxue_sync_server::last_seen::FLUSH_EVERY;
use baoxue_sync_server::rate_limit::{Limits, RateLimit};
use baoxue_sync_server::serve::DEFAULT_MAX_CONNECTIONS;
use baoxue_sync_server::storage::{redact_password, Database, SchoolPlace, Storage};
use baoxue_sync_server::{now_ms, operator, routes, serve, tls, AppState};
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "sync-server",
    version,
    about = "Baoxue's sync server: merges what the phones of many schools submit, and serves the app.",
    long_about = "Baoxue's sync server: merges what the phones of many schools submit, and serves the app.\n\n\
        First steps for an operator:\n  \
        1. sync-server school add --county 城关县 --town 石门镇 --name 石门中学\n  \
        2. sync-server enroll --school <id printed by step 1>   (one code per phone)\n  \
        3. sync-server serve --tls-cert fullchain.pem --tls-key privkey.pem --listen 0.0.0.0:443\n\
        Day to day: `sync-server sync-health`, and `sync-server backup --to FILE` (restore with \
        `sync-server restore --from FILE`).\n\
        Every command works on the database given by --db (or BAOXUE_DB): a SQLite file, created if \
        missing, or a postgres:// URL."
)]
struct Cli {
    /// The database: a SQLite file (created if missing) or a postgres:// URL.
    #[arg(long, env = "BAOXUE_DB", default_value = "baoxue.db", global = true)]
    db: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the app and the sync API.
    Serve {
        /// The built app (`cargo xtask build` writes it).
        #[arg(long, env = "BAOXUE_DIST", default_value = "dist")]
        dist: PathBuf,
        /// Address and port to listen on; port 0 picks a free one.
        #[arg(long, env = "BAOXUE_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Sync requests (push, pull, conflicts) one phone may make at once before it must wait.
        #[arg(long, env = "BAOXUE_DEVICE_BURST", default_value_t = RateLimit::default().burst)]
        device_burst: u32,
        /// Sync requests per second one phone may make on average; beyond it the answer is 429
        /// with Retry-After.
        #[arg(long, env = "BAOXUE_DEVICE_RATE", default_value_t = RateLimit::default().per_second)]
        device_rate: f64,
        /// Enrollment attempts one network address may make at once before it must wait.
        #[arg(long, env = "BAOXUE_ENROLL_BURST", default_value_t = RateLimit::ENROLL.burst)]
        enroll_burst: u32,
        /// Enrollment attempts per second one network address may make on average; beyond it
        /// the answer is 429 with Retry-After. Behind a reverse proxy all phones share its address.
        #[arg(long, env = "BAOXUE_ENROLL_RATE", default_value_t = RateLimit::ENROLL.per_second)]
        enroll_rate: f64,
        /// Serve HTTPS with this certificate (PEM, the full chain: the certificate first, then
        /// intermediates). Phones need HTTPS to work offline; without --tls-cert and --tls-key
        /// the server speaks plain HTTP, for localhost or behind a reverse proxy that does TLS.
        #[arg(long, env = "BAOXUE_TLS_CERT", requires = "tls_key", value_name = "FILE")]
        tls_cert: Option<PathBuf>,
        /// The private key of --tls-cert (PEM).
        #[arg(long, env = "BAOXUE_TLS_KEY", requires = "tls_cert", value_name = "FILE")]
        tls_key: Option<PathBuf>,
        /// Connections open at once; more wait until one closes. Idle connections close after
        /// 30 s.
        #[arg(long, env = "BAOXUE_MAX_CONNECTIONS", default_value_t = DEFAULT_MAX_CONNECTIONS)]
        max_connections: usize,
    },
    /// The county > town > school tree.
    #[command(subcommand)]
    School(SchoolCommand),
    /// Issue a one-time code that enrolls one phone at a school.
    Enroll {
        /// The school's id (`sync-server school list` shows them).
        #[arg(long)]
        school: SchoolId,
        /// How long the code works: 7d, 12h, 30m.
        #[arg(long, default_value = "7d")]
        expires_in: String,
    },
    /// Enrolled phones: list them, or revoke a lost or replaced one.
    #[command(subcommand)]
    Devices(DevicesCommand),
    /// Write a consistent copy of the database while the server runs: for SQLite a SQLite file
    /// (VACUUM INTO), for PostgreSQL a portable export (JSON Lines) read in one snapshot.
    Backup {
        /// The file to write; it must not exist yet.
        #[arg(long)]
        to: PathBuf,
    },
    /// Replace the database's content by a backup's (a SQLite backup into SQLite, a
    /// PostgreSQL export into PostgreSQL), in one transaction. Phones that synced after the
    /// backup resync and send again what is missing.
    Restore {
        /// The file `sync-server backup` wrote.
        #[arg(long)]
        from: PathBuf,
        /// Replace a database that already holds schools, devices or changes.
        #[arg(long)]
        force: bool,
    },
    /// Report devices and when each was last seen, rejections on record, open conflicts and
    /// changes per school.
    SyncHealth,
    /// Links that show a county's, a town's or a school's figures (totals only) to supervisors.
    #[command(subcommand)]
    Share(ShareCommand),
}

#[derive(Subcommand)]
enum ShareCommand {
    /// Make a link, printed with a QR code. Only its hash is kept: note it when it is shown.
    Create {
        /// The unit: county:城关县, town:石门镇 (or town:城关县/石门镇), school:石门中学, or any kind
        /// with its id.
        #[arg(long)]
        unit: String,
        /// How long the link works: 30d, 12h.
        #[arg(long, default_value = "30d")]
        expires: String,
        /// Who the link is for, shown by `share list`.
        #[arg(long, default_value = "")]
        label: String,
        /// The server's address as supervisors reach it, for the printed link.
        #[arg(long, env = "BAOXUE_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        url: String,
    },
    /// List the links: unit, label, made, until when, revoked or not.
    List,
    /// Revoke a link: it opens a page saying so from now on.
    Revoke {
        /// The link's id (`sync-server share list` shows them).
        id: uuid::Uuid,
    },
}

#[derive(Subcommand)]
enum SchoolCommand {
    /// Add a school, creating its county and town if they are new. Prints the school's id.
    Add {
        /// The county (县), as 城关县.
        #[arg(long)]
        county: String,
        /// The town or township (镇/乡), as 石门镇.
        #[arg(long)]
        town: String,
        /// The school's name, as 石门中学.
        #[arg(long)]
        name: String,
    },
    /// List the schools with their ids.
    List,
}

#[derive(Subcommand)]
enum DevicesCommand {
    /// List enrolled phones: school, last seen, changes sent, rejections.
    List,
    /// Revoke a phone: its next sync is refused; what it already sent stays.
    Revoke {
        /// The device's id (`sync-server devices list` shows them).
        device: DeviceId,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("sync-server: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    if let Command::Serve {
        dist,
        listen,
        device_burst,
        device_rate,
        enroll_burst,
        enroll_rate,
        tls_cert,
        tls_key,
        max_connections,
    } = cli.command
    {
        if !(device_rate.is_finite() && device_rate > 0.0) || device_burst == 0 {
            return Err(
                "--device-burst and --device-rate must be above 0, as --device-burst 120 --device-rate 2".into()
            );
        }
        if !(enroll_rate.is_finite() && enroll_rate > 0.0) || enroll_burst == 0 {
            return Err(
                "--enroll-burst and --enroll-rate must be above 0, as --enroll-burst 10 --enroll-rate 0.2".into()
            );
        }
        let limits = Limits {
            device: RateLimit { burst: device_burst, per_second: device_rate },
            enroll: RateLimit { burst: enroll_burst, per_second: enroll_rate },
            share: RateLimit::SHARE,
        };
        if max_connections == 0 {
            return Err("--max-connections must be above 0, as --max-connections 512".into());
        }
        let settings = ServeSettings { dist, listen, limits, tls: tls_cert.zip(tls_key), max_connections };
        return serve(&cli.db, settings).await;
    }
    let database = Database::open(&cli.db).await.map_err(|error| error.to_string())?;
    let now = now_ms();
    let output = match cli.command {
        Command::Serve { .. } => unreachable!("handled above"),
        Command::School(SchoolCommand::Add { county, town, name }) => {
            operator::add_school(&database, SchoolPlace { county, town, school: name }, now).await
        }
        Command::School(SchoolCommand::List) => operator::list_schools(&database).await,
        Command::Enroll { school, expires_in } => match operator::parse_duration_ms(&expires_in) {
            Ok(expires_in_ms) => operator::issue_code(&database, school, expires_in_ms, now).await,
            Err(error) => Err(error),
        },
        Command::Devices(DevicesCommand::List) => operator::list_devices(&database, now).await,
        Command::Devices(DevicesCommand::Revoke { device }) => operator::revoke_device(&database, device, now).await,
        Command::Backup { to } => operator::backup(&database, &to, now).await,
        Command::Restore { from, force } => operator::restore(&database, &from, force).await,
        Command::SyncHealth => operator::sync_health(&database, now).await,
        Command::Share(ShareCommand::Create { unit, expires, label, url }) => {
            match operator::parse_duration_ms(&expires) {
                Ok(expires_in_ms) => operator::share_create(&database, &unit, expires_in_ms, &label, &url, now).await,
                Err(error) => Err(error),
            }
        }
        Command::Share(ShareCommand::List) => operator::share_list(&database, now).await,
        Command::Share(ShareCommand::Revoke { id }) => operator::share_revoke(&database, id, now).await,
    };
    let output = output.map_err(|error| error.to_string())?;
    println!("{}", output.trim_end());
    Ok(())
}

/// How often the figures job looks for schools to work out again without being woken by a push:
/// the day turning over, a push to another server process on the same database.
const FIGURES_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// What `serve` was asked for, beyond the database.
struct ServeSettings {
    dist: PathBuf,
    listen: SocketAddr,
    limits: Limits,
    /// The certificate and key files, for HTTPS.
    tls: Option<(PathBuf, PathBuf)>,
    max_connections: usize,
}

async fn serve(db: &str, settings: ServeSettings) -> Result<(), String> {
    let ServeSettings { dist, listen, limits, tls, max_connections } = settings;
    if !dist.join("index.html").is_file() {
        return Err(format!("{} has no index.html: build the app first with `cargo xtask build`", dist.display()));
    }
    // Before the database, so a wrong file name fails at once, with nothing opened.
    let tls = match &tls {
        Some((cert, key)) => {
            Some(tokio_rustls::TlsAcceptor::from(tls::server_config(cert, key).map_err(|error| error.to_string())?))
        }
        None => None,
    };
    let database = Database::open(db).await.map_err(|error| error.to_string())?;
    let listener = tokio::net::TcpListener::bind(listen).await.map_err(|error| {
        format!("cannot listen on {listen}: {error}. Is another server using that port? Pick another with --listen")
    })?;
    let address = listener.local_addr().map_err(|error| error.to_string())?;
    // Installed before the start line, so a stop signal sent as soon as it is read is heard.
    let stop = serve::stop_signal().map_err(|error| format!("cannot listen for SIGTERM or Ctrl-C: {error}"))?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    // Tests and scripts read this line to find the port. It may end up in logs anyone can
    // read: never the database's password.
    println!("Baoxue is running at {scheme}://{address}/ (database: {} {})", database.kind(), redact_password(db));
    let state = AppState::with_limits(database, limits);
    let flusher = {
        let state = state.clone();
        tokio::spawn(async move { state.last_seen.flush_every(&state.database, FLUSH_EVERY).await })
    };
    // The schools' figures behind shared links, worked out after pushes and when the day turns.
    let figures = tokio::spawn(baoxue_sync_server::share::figures::keep_fresh(
        state.database.clone(),
        state.figures_wake.clone(),
        FIGURES_EVERY,
    ));
    let app = routes::router(state.clone(), &dist);
    serve::serve(listener, tls, max_connections, app, stop).await;
    flusher.abort();
    figures.abort();
    if let Err(error) = state.last_seen.flush(&state.database).await {
        tracing::warn!("could not write when phones were last seen before stopping: {error}");
    }
    Ok(())
}
