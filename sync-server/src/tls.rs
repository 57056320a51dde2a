//! HTTPS: the certificate and key `serve --tls-cert --tls-key` reads (PEM), made into the TLS
//! setup the listener uses. Phones need HTTPS for the app to work offline: a page from a
//! non-localhost `http://` address gets no service worker and no persistent storage.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::{crypto, ServerConfig};

/// Why the certificate or key cannot be used. Each names the file, so the operator knows which
/// one to replace.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read the TLS file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("the TLS certificate file {path} holds no PEM certificate (-----BEGIN CERTIFICATE-----): {detail}")]
    NoCertificate { path: PathBuf, detail: String },
    #[error(
        "the TLS key file {path} holds no PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC \
         PRIVATE KEY): {detail}"
    )]
    NoKey { path: PathBuf, detail: String },
    #[error("the TLS key {key} does not go with the certificate {cert}: {source}")]
    Mismatch { cert: PathBuf, key: PathBuf, source: tokio_rustls::rustls::Error },
}

/// Reads the certificate chain (the server's certificate first, then any intermediates, as
/// certificate authorities deliver a "fullchain" file) and its private key.
pub fn server_config(cert: &Path, key: &Path) -> Result<Arc<ServerConfig>, TlsError> {
    let cert_pem = read(cert)?;
    let no_certificate = |detail: String| TlsError::NoCertificate { path: cert.to_owned(), detail };
    let chain = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| no_certificate(error.to_string()))?;
    if chain.is_empty() {
        return Err(no_certificate("none found".into()));
    }
    let key_pem = read(key)?;
    let private_key = PrivateKeyDer::from_pem_slice(&key_pem)
        .map_err(|error| TlsError::NoKey { path: key.to_owned(), detail: error.to_string() })?;
    // The `ring` provider rather than the default aws-lc-rs, which needs cmake to build.
    let mut config = ServerConfig::builder_with_provider(Arc::new(crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .and_then(|builder| builder.with_no_client_auth().with_single_cert(chain, private_key))
        .map_err(|source| TlsError::Mismatch { cert: cert.to_owned(), key: key.to_owned(), source })?;
    // The server speaks HTTP/1.1 only, as it does without TLS.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

fn read(path: &Path) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|source| TlsError::Read { path: path.to_owned(), source })
}

#[cfg(test)]
mod tests {
    use super::{server_config, TlsError};

    #[test]
    fn unusable_files_are_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pem");
        let error = server_config(&missing, &missing).unwrap_err();
        assert!(matches!(error, TlsError::Read { .. }), "{error}");
        assert!(error.to_string().contains("missing.pem"), "{error}");

        let garbage = dir.path().join("cert.pem");
        std::fs::write(&garbage, "not a certificate").unwrap();
        let error = server_config(&garbage, &missing).unwrap_err();
        assert!(matches!(error, TlsError::NoCertificate { .. }), "{error}");
        assert!(error.to_string().contains("cert.pem"), "{error}");
    }
}
