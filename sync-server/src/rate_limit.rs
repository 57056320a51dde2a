//! Token buckets in memory, one per key: per device, a phone may sync in bursts (an outbox of
//! thousands of changes goes in batches of 500, a new phone pulls a school's history page by
//! page) but a phone stuck in a retry loop cannot hold the database for the others; per client
//! address, enrollment (a caller without a credential yet) gets a small allowance.
//! Each server process counts on its own; a restart forgets the counts, which only lets
//! phones in sooner.

use baoxue_domain::ids::DeviceId;
use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Buckets kept before full ones are forgotten: keys by address come from anyone, and a full
/// bucket is the same as none. (Devices are far fewer.)
const MAX_KEYS: usize = 50_000;

/// How many sync requests a device may make: `burst` at once, then `per_second` on average.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateLimit {
    pub burst: u32,
    pub per_second: f64,
}

impl Default for RateLimit {
    /// A new phone pulling 100,000 changes takes 100 pages: a burst of 120 covers it, and two
    /// a second is far more than an app syncing every few minutes needs.
    fn default() -> Self {
        RateLimit { burst: 120, per_second: 2.0 }
    }
}

impl RateLimit {
    /// Enrollment attempts per client address: a school enrolls its phones in one sitting, ten
    /// at once then one every 5 seconds, while guessing a 60-bit code stays hopeless and no
    /// address can keep the database's write lock busy with made-up codes.
    pub const ENROLL: RateLimit = RateLimit { burst: 10, per_second: 0.2 };

    /// Shared links opened per client address: a bureau's office behind one address opens a
    /// few dozen at once, then one every two seconds; guessing a 256-bit token is hopeless
    /// anyway, and no address can keep the server busy working out figures.
    pub const SHARE: RateLimit = RateLimit { burst: 30, per_second: 0.5 };

    fn burst(self) -> f64 {
        f64::from(self.burst.max(1))
    }

    fn per_second(self) -> f64 {
        if self.per_second.is_finite() && self.per_second > 0.0 {
            self.per_second
        } else {
            f64::MIN_POSITIVE
        }
    }
}

/// The limits a server applies: per device on sync requests, per client address on
/// enrollment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    pub device: RateLimit,
    pub enroll: RateLimit,
    pub share: RateLimit,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { device: RateLimit::default(), enroll: RateLimit::ENROLL, share: RateLimit::SHARE }
    }
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// Token buckets by device (the default) or by client address.
#[derive(Debug)]
pub struct RateLimiter<K = DeviceId> {
    limit: RateLimit,
    buckets: Mutex<HashMap<K, Bucket>>,
}

/// Buckets by client address.
pub type AddressLimiter = RateLimiter<IpAddr>;

impl<K: Hash + Eq + Copy> RateLimiter<K> {
    pub fn new(limit: RateLimit) -> Self {
        RateLimiter { limit, buckets: Mutex::new(HashMap::new()) }
    }

    pub fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Takes one request from the key's bucket at `now`; `Err` holds how long to wait until
    /// the next one is allowed.
    pub fn take(&self, key: K, now: Instant) -> Result<(), Duration> {
        let (burst, per_second) = (self.limit.burst(), self.limit.per_second());
        let refill = |bucket: &mut Bucket| {
            let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
            bucket.tokens = (bucket.tokens + elapsed * per_second).min(burst);
            bucket.updated = now;
        };
        // A poisoned lock only means another request panicked while holding it; the counts are
        // still usable numbers, so the limiter keeps working.
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() >= MAX_KEYS && !buckets.contains_key(&key) {
            buckets.retain(|_, bucket| {
                refill(bucket);
                bucket.tokens < burst
            });
            // Still crowded: that many addresses are busy at once, and scanning them on every
            // new one would cost more than the limit saves. Forgetting them all gives each a
            // fresh burst, and leaves room for half as many before the next scan.
            if buckets.len() >= MAX_KEYS / 2 {
                buckets.clear();
            }
        }
        let bucket = buckets.entry(key).or_insert(Bucket { tokens: burst, updated: now });
        refill(bucket);
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - bucket.tokens) / per_second;
            Err(Duration::try_from_secs_f64(wait).unwrap_or(Duration::MAX))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PHONE: DeviceId = DeviceId::from_u128(1);
    const OTHER: DeviceId = DeviceId::from_u128(2);

    #[test]
    fn a_burst_is_allowed_then_requests_wait_for_the_refill() {
        let limiter = RateLimiter::new(RateLimit { burst: 3, per_second: 0.5 });
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.take(PHONE, start), Ok(()));
        }
        let wait = limiter.take(PHONE, start).unwrap_err();
        assert_eq!(wait, Duration::from_secs(2));
        // Another phone has its own bucket.
        assert_eq!(limiter.take(OTHER, start), Ok(()));
        // One token back after two seconds, no more.
        let later = start + Duration::from_secs(2);
        assert_eq!(limiter.take(PHONE, later), Ok(()));
        assert!(limiter.take(PHONE, later).is_err());
        // The bucket never holds more than the burst, however long the phone was away.
        let much_later = later + Duration::from_secs(3_600);
        for _ in 0..3 {
            assert_eq!(limiter.take(PHONE, much_later), Ok(()));
        }
        assert!(limiter.take(PHONE, much_later).is_err());
    }

    #[test]
    fn addresses_have_their_own_buckets_and_full_ones_are_forgotten_when_many() {
        let limiter = AddressLimiter::new(RateLimit { burst: 1, per_second: 0.5 });
        let (here, there) = (IpAddr::from([10, 0, 0, 1]), IpAddr::from([10, 0, 0, 2]));
        let start = Instant::now();
        assert_eq!(limiter.take(here, start), Ok(()));
        assert_eq!(limiter.take(here, start), Err(Duration::from_secs(2)));
        assert_eq!(limiter.take(there, start), Ok(()));
        for n in 0..MAX_KEYS as u32 - 2 {
            assert_eq!(limiter.take(IpAddr::from(n.to_be_bytes()), start), Ok(()));
        }
        // Ten seconds later every bucket is full again: the next new address forgets them.
        assert_eq!(limiter.take(IpAddr::from([192, 168, 0, 1]), start + Duration::from_secs(10)), Ok(()));
        assert_eq!(limiter.buckets.lock().unwrap().len(), 1);
    }
}
