//! Hybrid logical clock stamps. A phone's wall clock can be wrong by hours; a stamp still
//! orders a device's own edits correctly and never goes backwards, because it takes the
//! larger of the wall clock and the largest stamp seen, and counts within a millisecond.

use crate::ids::DeviceId;
use serde::{Deserialize, Serialize};

/// Ordered by wall time, then counter, then device, so any two stamps compare and no two
/// devices ever tie.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Hlc {
    /// Milliseconds since 1970, corrected by the offset learnt from the server.
    pub wall_ms: u64,
    pub counter: u32,
    pub device: DeviceId,
}

impl Hlc {
    pub fn zero(device: DeviceId) -> Self {
        Hlc { wall_ms: 0, counter: 0, device }
    }

    /// The stamp for a new local change, given the device's current wall clock.
    pub fn tick(self, now_ms: u64) -> Hlc {
        if now_ms > self.wall_ms {
            Hlc { wall_ms: now_ms, counter: 0, device: self.device }
        } else {
            Hlc { wall_ms: self.wall_ms, counter: self.counter.saturating_add(1), device: self.device }
        }
    }

    /// The clock after seeing another device's stamp, so that the next local change sorts
    /// after everything this device has seen.
    pub fn observe(self, remote: Hlc, now_ms: u64) -> Hlc {
        let wall_ms = self.wall_ms.max(remote.wall_ms).max(now_ms);
        let counter = if wall_ms == self.wall_ms && wall_ms == remote.wall_ms {
            self.counter.max(remote.counter).saturating_add(1)
        } else if wall_ms == self.wall_ms {
            self.counter.saturating_add(1)
        } else if wall_ms == remote.wall_ms {
            remote.counter.saturating_add(1)
        } else {
            0
        };
        Hlc { wall_ms, counter, device: self.device }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PHONE: DeviceId = DeviceId::from_u128(1);
    const OTHER: DeviceId = DeviceId::from_u128(2);

    #[test]
    fn a_clock_set_back_does_not_reorder_edits() {
        let first = Hlc::zero(PHONE).tick(10_000);
        let second = first.tick(4_000); // The teacher set the phone's clock back.
        assert!(second > first);
    }

    proptest! {
        #[test]
        fn stamps_only_grow(nows in proptest::collection::vec(0u64..1_000_000, 1..50), remote_wall in 0u64..2_000_000, remote_counter in 0u32..10) {
            let mut clock = Hlc::zero(PHONE);
            let remote = Hlc { wall_ms: remote_wall, counter: remote_counter, device: OTHER };
            for (index, now) in nows.iter().enumerate() {
                let next = if index % 3 == 0 { clock.observe(remote, *now) } else { clock.tick(*now) };
                prop_assert!(next > clock);
                if index % 3 == 0 {
                    prop_assert!((next.wall_ms, next.counter) > (remote.wall_ms, remote.counter));
                }
                clock = next;
            }
        }
    }
}
