//! A token bucket per device, in memory: a phone may sync in bursts (an outbox of thousands of
//! changes goes in batches of 500, a new phone pulls a school's history page by page) but a
//! phone stuck in a retry loop cannot hold the database for the others. Each server process
//! counts on its own; a restart forgets the counts, which only lets phones in sooner.

use baoxue_domain::ids::DeviceId;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

#[derive(Debug)]
pub struct RateLimiter {
    limit: RateLimit,
    buckets: Mutex<HashMap<DeviceId, Bucket>>,
}

impl RateLimiter {
    pub fn new(limit: RateLimit) -> Self {
        RateLimiter { limit, buckets: Mutex::new(HashMap::new()) }
    }

    pub fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Takes one request from the device's bucket at `now`; `Err` holds how long to wait until
    /// the next one is allowed.
    pub fn take(&self, device: DeviceId, now: Instant) -> Result<(), Duration> {
        let burst = f64::from(self.limit.burst.max(1));
        let per_second = if self.limit.per_second.is_finite() && self.limit.per_second > 0.0 {
            self.limit.per_second
        } else {
            f64::MIN_POSITIVE
        };
        // A poisoned lock only means another request panicked while holding it; the counts are
        // still usable numbers, so the limiter keeps working.
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let bucket = buckets.entry(device).or_insert(Bucket { tokens: burst, updated: now });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * per_second).min(burst);
        bucket.updated = now;
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
}
