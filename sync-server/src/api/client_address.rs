//! `ClientAddress`: the network address a request came from, for the limits on callers without
//! a credential (`rate_limit.rs`). `serve` records it on every connection; a router used without
//! it (the tests call it directly) puts every caller under one shared address, so the limits
//! still hold, only more tightly. Behind a reverse proxy every phone has the proxy's address:
//! the proxy's `X-Forwarded-For` is not read, since any caller could write one.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl ClientAddress {
    pub fn of(parts: &Parts) -> ClientAddress {
        let address = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(socket)| socket.ip());
        ClientAddress(network(address.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress::of(parts))
    }
}

/// The address a limit counts by: an IPv4 address as it is, an IPv6 one by its /64 network,
/// since one subscriber is given a whole /64 and could otherwise take a fresh address per
/// request.
fn network(address: IpAddr) -> IpAddr {
    match address.to_canonical() {
        IpAddr::V6(v6) => {
            let mut segments = v6.segments();
            segments[4..].fill(0);
            IpAddr::from(segments)
        }
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::network;
    use std::net::IpAddr;

    #[test]
    fn ipv6_addresses_count_by_their_64_network() {
        let one: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let other: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        assert_eq!(network(one), network(other));
        assert_eq!(network("::ffff:10.0.0.1".parse().unwrap()), "10.0.0.1".parse::<IpAddr>().unwrap());
    }
}
