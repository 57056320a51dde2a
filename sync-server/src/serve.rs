//! The listening loop: accepts connections, plain HTTP or HTTPS, holds at most a set number
//! open at once, and stops gracefully on SIGTERM or Ctrl-C: no new connection is taken, and
//! requests in flight finish before the process exits.
//!
//! Written out rather than `axum::serve`, which offers neither TLS nor a header-read timeout
//! nor a connection cap.

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_rustls::TlsAcceptor;

/// Connections open at once by default. A school's phones sync a few times a day; a county
/// server with hundreds of schools stays far below this, and a flood of connections (or of
/// idle ones) is held back here rather than by the file-descriptor limit, where the server
/// could no longer open its own database files.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;

/// How long a client may take to send a request's headers, and how long a kept-alive
/// connection may stay idle, before it is closed: so slow or idle clients cannot hold every
/// connection slot.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a TLS handshake may take, for the same reason.
pub const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(15);

/// After a stop signal, how long requests in flight may take to finish before the server
/// exits anyway (a big pull over a slow link).
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Serves `app` on `listener` until `shutdown` completes, then waits up to [`SHUTDOWN_GRACE`]
/// for requests in flight. With `tls`, every connection is HTTPS.
pub async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    max_connections: usize,
    app: Router,
    shutdown: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        // A slot first, then a connection: beyond the cap, new connections wait in the
        // kernel's queue until one closes, instead of being accepted and starved.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot,
            () = &mut shutdown => break,
        };
        let Ok(slot) = slot else { break };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, or a connection reset before it was taken:
                    // wait a moment rather than spin, and keep serving.
                    tracing::warn!("cannot accept a connection: {error}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let watcher = graceful.watcher();
        // Each request learns the address it came from: enrollment is limited per address
        // (`api/client_address.rs`).
        let app = app.clone().layer(axum::Extension(axum::extract::ConnectInfo(peer)));
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                None => connection(stream, app, watcher).await,
                Some(tls) => match tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, tls.accept(stream)).await {
                    Ok(Ok(stream)) => connection(stream, app, watcher).await,
                    // A client that does not trust the certificate, or speaks plain HTTP to
                    // the HTTPS port: its problem, nothing to do here.
                    Ok(Err(error)) => tracing::debug!("TLS handshake failed: {error}"),
                    Err(_) => tracing::debug!("TLS handshake took over {TLS_HANDSHAKE_TIMEOUT:?}"),
                },
            }
            drop(slot);
        });
    }
    // Closing the listener refuses new connections at once, rather than queueing them.
    drop(listener);
    tracing::info!("stopping: finishing requests in flight");
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await.is_err() {
        tracing::warn!("stopping with requests still in flight after {SHUTDOWN_GRACE:?}");
    }
}

/// Serves HTTP/1.1 on one connection until the client closes it, it times out, or a graceful
/// shutdown lets its request in flight finish.
async fn connection<I>(io: I, app: Router, watcher: Watcher)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT);
    let connection = http.serve_connection(TokioIo::new(io), TowerToHyperService::new(app));
    if let Err(error) = watcher.watch(connection).await {
        // Clients close connections mid-answer all the time (a phone losing signal).
        tracing::debug!("connection ended: {error}");
    }
}

/// Completes on SIGTERM (what `systemctl stop`, `docker stop` and Kubernetes send) or on
/// Ctrl-C. The handlers are installed when this is called, so a signal that arrives before the
/// future is first awaited still stops the server gracefully instead of killing it.
pub fn stop_signal() -> std::io::Result<impl Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut terminate = signal(SignalKind::terminate())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
        Ok(async move {
            let name = tokio::select! {
                _ = terminate.recv() => "SIGTERM",
                _ = interrupt.recv() => "Ctrl-C",
            };
            tracing::info!("{name} received");
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            if tokio::signal::ctrl_c().await.is_err() {
                // No way to hear Ctrl-C: run until the process is killed.
                std::future::pending::<()>().await;
            }
        })
    }
}
